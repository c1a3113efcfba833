package io.wharf.replication.upstream;

import java.util.List;
import java.util.Locale;

/**
 * Docker Hub's repository names as {@code distribution/reference} normalises them (R18, UPSTREAMS.md
 * §1.3): the registry itself never adds {@code library/}, so Wharf must.
 */
final class DockerHubNames {

    private static final List<String> REGISTRY_HOSTS = List.of("docker.io/", "index.docker.io/", "registry-1.docker.io/");
    private static final String HUB_WEB = "hub.docker.com/";

    private DockerHubNames() {
    }

    /** See {@link UpstreamClient#normalize(String)}. */
    static String normalize(String name) {
        String s = name.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            s = s.substring("https://".length());
        } else if (lower.startsWith("http://")) {
            s = s.substring("http://".length());
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith(HUB_WEB)) {
            return fromHubPage(name, s.substring(HUB_WEB.length()).split("/"));
        }
        for (String host : REGISTRY_HOSTS) {
            if (lower.startsWith(host)) {
                s = s.substring(host.length());
                break;
            }
        }
        if (s.isEmpty() || s.contains("@") || s.substring(s.lastIndexOf('/') + 1).contains(":")) {
            throw new IllegalArgumentException("not a repository name (without tag or digest): " + name);
        }
        String first = s.contains("/") ? s.substring(0, s.indexOf('/')) : s;
        if (s.contains("/") && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            throw new IllegalArgumentException("not a Docker Hub repository: " + name);
        }
        return s.contains("/") ? s : "library/" + s;
    }

    /** {@code hub.docker.com/_/nginx} and {@code hub.docker.com/r/ns/name}, with anything after the name. */
    private static String fromHubPage(String name, String[] parts) {
        if (parts.length >= 2 && parts[0].equals("_") && !parts[1].isEmpty()) {
            return "library/" + parts[1];
        }
        if (parts.length >= 3 && parts[0].equals("r") && !parts[1].isEmpty() && !parts[2].isEmpty()) {
            return parts[1] + "/" + parts[2];
        }
        throw new IllegalArgumentException("not a Docker Hub repository page: " + name);
    }
}
