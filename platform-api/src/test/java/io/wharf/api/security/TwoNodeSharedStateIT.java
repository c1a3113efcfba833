package io.wharf.api.security;

import io.wharf.api.WharfNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database, as behind a load balancer: nothing one node keeps may make it disagree
 * with the other. A console session opened on one node is valid on the other and ends on both; a
 * password changed on one node stops the old password on the other at once, although that node had
 * just cached a successful check of it; a robot disabled on one node is refused by the other.
 */
class TwoNodeSharedStateIT {

    private static final String ADMIN_PASSWORD = "Admin12345";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static WharfNodes nodes;
    private static int port1;
    private static int port2;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        nodes = WharfNodes.start(2, "--wharf.admin-password=" + ADMIN_PASSWORD);
        port1 = nodes.port(0);
        port2 = nodes.port(1);
    }

    @AfterAll
    static void stopNodes() {
        nodes.close();
    }

    @Test
    void aConsoleSessionFromOneNodeIsValidOnTheOtherAndEndsOnBoth() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> page = browser.send(get(port1, "/login").build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF_FIELD.matcher(page.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri(port1, "/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + ADMIN_PASSWORD + "&_csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);

        assertThat(browser.send(get(port2, "/api/v2.0/users/current").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .as("the session opened on node 1 is known to node 2").isEqualTo(200);

        String xsrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
            .map(HttpCookie::getValue).findFirst().orElseThrow();
        HttpResponse<String> logout = browser.send(HttpRequest.newBuilder(uri(port2, "/logout")).header("X-XSRF-TOKEN", xsrf)
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(browser.send(get(port1, "/api/v2.0/users/current").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .as("logging out on node 2 ends the session on node 1").isEqualTo(401);
    }

    @Test
    void aPasswordChangedOnOneNodeStopsTheOldPasswordOnTheOtherAtOnce() throws Exception {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(json(port1, "POST", "/api/v2.0/users", basic("admin", ADMIN_PASSWORD),
            "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\",\"password\":\"Old12345x\",\"realname\":\"x\"}"),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
        HttpResponse<String> me = http.send(get(port2, "/api/v2.0/users/current").header("Authorization", basic(name, "Old12345x")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).as("node 2 checks and caches the password").isEqualTo(200);
        String id = me.body().replaceAll(".*\"user_id\":(\\d+).*", "$1");

        assertThat(http.send(json(port1, "PUT", "/api/v2.0/users/" + id + "/password", basic(name, "Old12345x"),
            "{\"old_password\":\"Old12345x\",\"new_password\":\"New12345x\"}"), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(200);

        assertThat(http.send(get(port2, "/api/v2.0/users/current").header("Authorization", basic(name, "Old12345x")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).as("node 2 no longer takes the old password").isEqualTo(401);
        assertThat(http.send(get(port2, "/v2/").header("Authorization", basic(name, "Old12345x")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(http.send(get(port2, "/api/v2.0/users/current").header("Authorization", basic(name, "New12345x")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRobotDisabledOnOneNodeIsRefusedByTheOther() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String robotName = "r" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"name\":\"" + robotName + "\",\"level\":\"system\",\"duration\":-1,\"permissions\":[{\"kind\":\"project\","
            + "\"namespace\":\"library\",\"access\":[{\"resource\":\"repository\",\"action\":\"pull\"}]}]}";
        HttpResponse<String> created = http.send(json(port1, "POST", "/api/v2.0/robots", basic("admin", ADMIN_PASSWORD), body),
            HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"id\":(\\d+).*", "$1");
        String secret = created.body().replaceAll(".*\"secret\":\"([^\"]+)\".*", "$1");
        String robot = "robot$" + robotName;
        assertThat(http.send(get(port2, "/v2/").header("Authorization", basic(robot, secret)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        String disable = body.replace("\"duration\":-1", "\"duration\":-1,\"disable\":true");
        assertThat(http.send(json(port1, "PUT", "/api/v2.0/robots/" + id, basic("admin", ADMIN_PASSWORD), disable),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        assertThat(http.send(get(port2, "/v2/").header("Authorization", basic(robot, secret)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).as("node 2 refuses the disabled robot at once").isEqualTo(401);
    }

    private static HttpRequest.Builder get(int port, String path) {
        return HttpRequest.newBuilder(uri(port, path)).GET();
    }

    private static HttpRequest json(int port, String method, String path, String authorization, String body) {
        return HttpRequest.newBuilder(uri(port, path)).header("Authorization", authorization)
            .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
