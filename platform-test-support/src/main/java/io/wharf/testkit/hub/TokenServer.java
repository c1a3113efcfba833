package io.wharf.testkit.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code auth.docker.io/token} (UPSTREAMS.md §1.2): a token for any scope, anonymous or with Basic
 * credentials of a known account (a wrong password is a 401). Granted access: pull on existing
 * repositories for everyone, pull and push on any repository for accounts, the catalog only when the
 * emulator serves one. Tokens live 300 s on the emulator's clock.
 */
final class TokenServer implements HttpHandler {

    static final Duration LIFETIME = Duration.ofSeconds(300);

    /** What a token allows: {@code <repository>:pull}, {@code <repository>:push}, {@code catalog}. */
    record Grant(String subject, boolean anonymous, Set<String> access, Instant expires) {
    }

    private final Clock clock;
    private final HubContent content;
    private final Switches switches;
    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();

    TokenServer(Clock clock, HubContent content, Switches switches) {
        this.clock = clock;
        this.content = content;
        this.switches = switches;
    }

    void account(String username, String password) {
        accounts.put(username, password);
    }

    void revokeAll() {
        tokens.clear();
    }

    long issued() {
        return issued.get();
    }

    /** The grant of a request's Bearer token, if it is one this server issued and it has not expired. */
    Optional<Grant> grant(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.empty();
        }
        Grant grant = tokens.get(header.substring("Bearer ".length()).strip());
        return grant == null || !clock.instant().isBefore(grant.expires()) ? Optional.empty() : Optional.of(grant);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/token")) {
            Exchanges.json(ex, 404, Map.of("details", "not found"));
            return;
        }
        String subject = null;
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            String user = colon < 0 ? pair : pair.substring(0, colon);
            if (colon < 0 || !pair.substring(colon + 1).equals(accounts.get(user))) {
                Exchanges.json(ex, 401, Map.of("details", "incorrect username or password"));
                return;
            }
            subject = user;
        }
        Set<String> access = new HashSet<>();
        for (String scope : Exchanges.query(ex).getOrDefault("scope", List.of())) {
            for (String one : scope.split(" ")) {
                access.addAll(grant(one, subject != null));
            }
        }
        Instant now = clock.instant();
        String token = "emulated-" + issued.incrementAndGet();
        tokens.put(token, new Grant(subject != null ? subject : "anonymous", subject == null, access, now.plus(LIFETIME)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("access_token", token);
        body.put("expires_in", LIFETIME.toSeconds());
        body.put("issued_at", now.toString());
        Exchanges.json(ex, 200, body);
    }

    private Set<String> grant(String scope, boolean authenticated) {
        String[] parts = scope.split(":");
        if (parts.length == 3 && parts[0].equals("registry") && parts[1].equals("catalog")) {
            return switches.catalog ? Set.of("catalog") : Set.of();
        }
        if (parts.length != 3 || !parts[0].equals("repository")) {
            return Set.of();
        }
        Set<String> granted = new HashSet<>();
        for (String action : parts[2].split(",")) {
            if (action.equals("pull") && (authenticated || content.exists(parts[1]))) {
                granted.add(parts[1] + ":pull");
            } else if (action.equals("push") && authenticated) {
                granted.add(parts[1] + ":push");
            }
        }
        return granted;
    }
}
