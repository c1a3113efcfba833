package io.wharf.replication.upstream;

import org.jspecify.annotations.Nullable;

import java.net.http.HttpHeaders;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate} challenge: {@code Bearer realm="..",service="..",scope=".."} or
 * {@code Basic realm=".."}.
 *
 * @param bearer whether the scheme is Bearer (else Basic)
 * @param realm  the token endpoint (Bearer) or the realm name (Basic), or null
 * @param scope  the scope the registry asks for, or null (e.g. on {@code GET /v2/})
 */
record Challenge(boolean bearer, @Nullable String realm, @Nullable String service, @Nullable String scope) {

    private static final Pattern SCHEME = Pattern.compile("^\\s*([A-Za-z]+)\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern PARAM = Pattern.compile("([A-Za-z_]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    /** The first Bearer challenge among the headers, else the first Basic one. */
    static Optional<Challenge> parse(HttpHeaders headers) {
        Challenge basic = null;
        for (String value : headers.allValues("WWW-Authenticate")) {
            Optional<Challenge> challenge = parse(value);
            if (challenge.isPresent() && challenge.get().bearer()) {
                return challenge;
            }
            if (basic == null && challenge.isPresent()) {
                basic = challenge.get();
            }
        }
        return Optional.ofNullable(basic);
    }

    static Optional<Challenge> parse(String value) {
        Matcher scheme = SCHEME.matcher(value);
        if (!scheme.matches()) {
            return Optional.empty();
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        if (!name.equals("bearer") && !name.equals("basic")) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(scheme.group(2));
        while (m.find()) {
            String v = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
            params.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), v);
        }
        return Optional.of(new Challenge(name.equals("bearer"), params.get("realm"), params.get("service"),
            params.get("scope")));
    }
}
