package io.wharf.web.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.wharf.web.deploy.RepositoryFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root {@code docker-compose.yml} and what it mounts from {@code deploy/}: two Wharf nodes on one
 * PostgreSQL and one bucket behind a streaming nginx, Prometheus scraping both, Grafana on Prometheus,
 * secrets only from {@code .env}, each node limited to 1 GiB. Static checks, and the {@code minio-init} script run
 * by {@code /bin/sh} with a stand-in {@code mc}: no Docker engine is needed.
 */
class ComposeFileTest {

    private static final List<String> NODES = List.of("wharf-1", "wharf-2");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY|ROOT_USER).*");
    private static final Pattern REFERENCE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)");

    private final String composeText = RepositoryFiles.read("docker-compose.yml");
    private final Map<String, Object> compose = RepositoryFiles.yaml(composeText);
    private final Map<String, Object> services = at(compose, "services");

    @Test
    void definesTheNodesTheirBackendsTheProxyAndMonitoring() {
        assertThat(services).containsKeys("wharf-1", "wharf-2", "postgres", "minio", "minio-init", "nginx",
            "prometheus", "grafana");
        assertThat(String.valueOf((Object) at(compose, "services.postgres.image"))).startsWith("postgres:15");
        for (String node : NODES) {
            assertThat((Object) at(compose, "services." + node + ".build")).as(node + " builds the root Dockerfile").isEqualTo(".");
            assertThat((Object) at(compose, "services." + node + ".ports")).as(node + " is reached only through nginx").isNull();
        }
    }

    @Test
    void bothNodesShareOneDatabaseAndOneBucketThatIsCreated() {
        Map<String, Object> first = env("wharf-1");
        Map<String, Object> second = env("wharf-2");
        for (String key : List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
            "WHARF_STORAGE_DRIVER", "WHARF_STORAGE_MINIO_ENDPOINT", "WHARF_STORAGE_MINIO_BUCKET",
            "WHARF_STORAGE_MINIO_ACCESS_KEY", "WHARF_STORAGE_MINIO_SECRET_KEY", "WHARF_SECRET_KEY", "WHARF_EXTERNAL_URL")) {
            assertThat(first.get(key)).as(key).isNotNull().isEqualTo(second.get(key));
        }
        assertThat(first.get("SPRING_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/wharf");
        assertThat(first.get("WHARF_STORAGE_DRIVER")).isEqualTo("minio");
        assertThat(first.get("WHARF_STORAGE_MINIO_ENDPOINT")).isEqualTo("http://minio:9000");
        // the database password is the one PostgreSQL was created with
        assertThat(first.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(env("postgres").get("POSTGRES_PASSWORD"));
        // the one-shot job creates the nodes' bucket, and the nodes wait for it
        String bucket = String.valueOf(first.get("WHARF_STORAGE_MINIO_BUCKET"));
        assertThat(String.valueOf((Object) at(compose, "services.minio-init.command"))).contains("mc mb --ignore-existing local/" + bucket);
        for (String node : NODES) {
            assertThat(String.valueOf((Object) at(compose, "services." + node + ".depends_on.minio-init.condition")))
                .isEqualTo("service_completed_successfully");
            assertThat(String.valueOf((Object) at(compose, "services." + node + ".depends_on.postgres.condition")))
                .isEqualTo("service_healthy");
        }
    }

    @Test
    void givesEachNodeOneGibibyteAndTheImagesJvmOptions() {
        for (String node : NODES) {
            assertThat(String.valueOf((Object) at(compose, "services." + node + ".mem_limit"))).as(node).isEqualTo("1g");
            // the image's options: a heap of half the limit, the serial collector, exit on OutOfMemoryError
            assertThat(env(node).get("JAVA_TOOL_OPTIONS")).as(node)
                .isEqualTo(RepositoryFiles.dockerfileEnvironment().get("JAVA_TOOL_OPTIONS"));
        }
    }

    /**
     * The one-shot {@code minio-init} script, run by {@code /bin/sh} as its entry point runs it, with a stand-in
     * {@code mc} that answers the policy attachment as told: it succeeds on a first run and on a rerun, where MinIO
     * answers that the policy is attached already, and fails on any other error of any step.
     */
    @Test
    void minioInitIgnoresOnlyAnAttachedPolicy(@TempDir Path dir) throws Exception {
        assertThat(RepositoryFiles.<List<String>>at(compose, "services.minio-init.entrypoint")).containsExactly("/bin/sh", "-ec");
        List<String> command = at(compose, "services.minio-init.command");
        assertThat(command).hasSize(1);
        // compose reads $$ as a literal $ and substitutes any other ${...} itself
        assertThat(command.get(0)).doesNotContainPattern("(?<!\\$)\\$(?!\\$)");
        String script = command.get(0).replace("$$", "$");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("calls");
        Path mc = bin.resolve("mc");
        Files.writeString(mc, """
            #!/bin/sh
            echo "$*" >> "$MC_CALLS"
            case "$*" in
              "$MC_FAILS"*) echo "mc: <ERROR> $MC_ANSWER" >&2; exit 1 ;;
            esac
            """, StandardCharsets.UTF_8);
        assertThat(mc.toFile().setExecutable(true)).isTrue();

        String attach = "admin policy attach local readwrite --user wharf-access";
        assertThat(minioInit(script, bin, calls, "none", "")).isEqualTo(0);
        assertThat(Files.readAllLines(calls)).contains("mb --ignore-existing local/wharf", attach);
        assertThat(minioInit(script, bin, calls, attach,
            "Unable to attach the policy: The specified policy change is already in effect.")).isEqualTo(0);
        assertThat(minioInit(script, bin, calls, attach, "Unable to attach the policy: Access Denied.")).isNotEqualTo(0);
        assertThat(minioInit(script, bin, calls, "mb", "Unable to make bucket: Access Denied.")).isNotEqualTo(0);
        assertThat(minioInit(script, bin, calls, "admin user add", "Unable to add new user: Access Denied.")).isNotEqualTo(0);
    }

    /** The script's exit code when {@code mc} fails with {@code answer} for arguments starting with {@code fails}. */
    private static int minioInit(String script, Path bin, Path calls, String fails, String answer) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-ec", script).redirectErrorStream(true)
            .redirectOutput(calls.resolveSibling("output").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("PATH", bin + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
        environment.putAll(Map.of("MINIO_ROOT_USER", "root", "MINIO_ROOT_PASSWORD", "root-password",
            "WHARF_MINIO_ACCESS_KEY", "wharf-access", "WHARF_MINIO_SECRET_KEY", "wharf-secret",
            "MC_CALLS", calls.toString(), "MC_FAILS", fails, "MC_ANSWER", answer));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script ended").isTrue();
        return process.exitValue();
    }

    @Test
    void takesEverySecretFromTheEnvironmentFile() {
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Map<String, Object> env = env(service.getKey());
            env.forEach((key, value) -> {
                if (SECRET_NAME.matcher(key).matches()) {
                    assertThat(String.valueOf(value)).as(service.getKey() + " " + key)
                        .matches("\\$\\{[A-Z0-9_]+:\\?[^}]*}");
                }
            });
        }
        // no example value of .env.example leaked into the compose file
        envExample().forEach((key, value) -> {
            if (key.contains("PASSWORD") || key.contains("SECRET")) {
                assertThat(composeText).as(key).doesNotContain(value);
            }
        });
        assertThat(RepositoryFiles.read(".gitignore").lines().map(String::trim)).contains(".env");
    }

    @Test
    void envExampleDefinesEveryVariableTheComposeFileReferences() {
        Set<String> referenced = new TreeSet<>();
        Matcher matcher = REFERENCE.matcher(composeText);
        while (matcher.find()) {
            referenced.add(matcher.group(1));
        }
        assertThat(referenced).contains("WHARF_DB_PASSWORD", "WHARF_SECRET_KEY");
        assertThat(envExample().keySet()).containsAll(referenced);
    }

    @Test
    void backendsHaveHealthChecksAndTheProxyWaitsForHealthyNodes() {
        for (String service : List.of("postgres", "minio")) {
            assertThat((Object) at(compose, "services." + service + ".healthcheck.test")).as(service).isNotNull();
        }
        // the nodes' health check is the image's (Dockerfile HEALTHCHECK, see DockerfileTest)
        for (String node : NODES) {
            assertThat(String.valueOf((Object) at(compose, "services.nginx.depends_on." + node + ".condition"))).isEqualTo("service_healthy");
        }
    }

    @Test
    void nginxStreamsBodiesRoundRobinToBothNodes() {
        String conf = RepositoryFiles.read("deploy/nginx/nginx.conf");
        assertThat(conf).containsPattern("(?m)^\\s*client_max_body_size 0;")
            .containsPattern("(?m)^\\s*proxy_request_buffering off;")
            .containsPattern("(?m)^\\s*proxy_buffering off;")
            .containsPattern("(?m)^\\s*proxy_read_timeout [0-9]{3,}s;")
            .containsPattern("(?m)^\\s*proxy_set_header X-Forwarded-Proto \\S+;")
            .containsPattern("(?m)^\\s*proxy_set_header Host \\$http_host;")
            .containsPattern("(?m)^\\s*proxy_pass http://wharf;");
        Matcher upstream = Pattern.compile("upstream wharf \\{([^}]*)}").matcher(conf);
        assertThat(upstream.find()).isTrue();
        String servers = upstream.group(1);
        for (String node : NODES) {
            assertThat(servers).containsPattern("(?m)^\\s*server " + node + ":5000\\b");
        }
        // round robin: no other balancing method in the upstream
        assertThat(servers).doesNotContainPattern("(?m)^\\s*(ip_hash|hash|least_conn|random)\\b");
        assertThat(String.valueOf((Object) at(compose, "services.nginx.volumes")))
            .contains("./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf");
        // the nodes' metrics and probes are not published through the proxy
        assertThat(conf).containsPattern("location = /metrics \\{\\s*return 404;")
            .containsPattern("location /actuator/ \\{\\s*return 404;");
    }

    @Test
    void theMirrorPortIsOptionalAndPublishedThroughNginxToBothNodes() {
        for (String node : NODES) {
            Map<String, Object> env = env(node);
            assertThat(env.get("WHARF_MIRROR_PROJECT")).as("off unless .env names a project").isEqualTo("${WHARF_MIRROR_PROJECT:-}");
            assertThat(String.valueOf(env.get("WHARF_MIRROR_PORT"))).isEqualTo("5001");
            assertThat(String.valueOf((Object) at(compose, "services." + node + ".expose"))).contains("5001");
        }
        assertThat(envExample()).containsEntry("WHARF_MIRROR_PROJECT", "").containsKey("WHARF_MIRROR_HTTP_PORT");
        assertThat(RepositoryFiles.<List<String>>at(compose, "services.nginx.ports")).contains("${WHARF_MIRROR_HTTP_PORT:-5001}:5001");
        String conf = RepositoryFiles.read("deploy/nginx/nginx.conf");
        Matcher upstream = Pattern.compile("upstream wharf-mirror \\{([^}]*)}").matcher(conf);
        assertThat(upstream.find()).isTrue();
        for (String node : NODES) {
            assertThat(upstream.group(1)).containsPattern("(?m)^\\s*server " + node + ":5001\\b");
        }
        assertThat(conf).containsPattern("(?m)^\\s*listen 5001;").containsPattern("(?m)^\\s*proxy_pass http://wharf-mirror;");
    }

    @Test
    void prometheusScrapesEveryNodeAndLoadsTheRulesDirectory() {
        Map<String, Object> prometheus = RepositoryFiles.yaml(RepositoryFiles.read("deploy/prometheus/prometheus.yml"));
        List<Map<String, Object>> jobs = at(prometheus, "scrape_configs");
        Map<String, Object> wharf = jobs.stream().filter(j -> "wharf".equals(j.get("job_name"))).findFirst().orElseThrow();
        assertThat(wharf.get("metrics_path")).isEqualTo("/metrics");
        assertThat(String.valueOf(wharf.get("static_configs"))).contains("wharf-1:5000", "wharf-2:5000");
        assertThat(RepositoryFiles.<List<String>>at(prometheus, "rule_files")).containsExactly("/etc/prometheus/rules/*.yml");
        assertThat(String.valueOf((Object) at(compose, "services.prometheus.volumes")))
            .contains("./deploy/prometheus/rules:/etc/prometheus/rules");
    }

    @Test
    void grafanaUsesPrometheusAndLoadsTheDashboardsDirectory() {
        Map<String, Object> datasources = RepositoryFiles.yaml(
            RepositoryFiles.read("deploy/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(String.valueOf(datasources.get("datasources"))).contains("url=http://prometheus:9090");
        Map<String, Object> dashboards = RepositoryFiles.yaml(
            RepositoryFiles.read("deploy/grafana/provisioning/dashboards/wharf.yml"));
        assertThat(String.valueOf(dashboards.get("providers"))).contains("path=/etc/grafana/dashboards");
        assertThat(String.valueOf((Object) at(compose, "services.grafana.volumes")))
            .contains("./deploy/grafana/dashboards:/etc/grafana/dashboards", "./deploy/grafana/provisioning:/etc/grafana/provisioning");
    }

    @Test
    void keepsDataInNamedVolumes() {
        Map<String, Object> volumes = at(compose, "volumes");
        for (String service : List.of("postgres", "minio", "prometheus", "grafana", "wharf-1", "wharf-2")) {
            List<String> mounts = at(compose, "services." + service + ".volumes");
            assertThat(mounts).as(service).anyMatch(m -> volumes.containsKey(m.split(":")[0]));
        }
    }

    private Map<String, Object> env(String service) {
        Map<String, Object> env = at(compose, "services." + service + ".environment");
        return env == null ? Map.of() : env;
    }

    private static Map<String, String> envExample() {
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : RepositoryFiles.read(".env.example").lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            assertThat(eq).as("a KEY=value line: " + trimmed).isPositive();
            result.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        return result;
    }
}
