package io.wharf.api.web;

import io.wharf.api.ApiTestApplication;
import io.wharf.testkit.PostgresTestDatabase;
import io.wharf.testkit.TestAccounts;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Tomcat rejects before Spring sees it, and what reaches Spring's {@code /error} fallback, is
 * answered in the protocol's JSON error format with the right 4xx status: the OCI body
 * ({@code code}, {@code message}, {@code detail}) for {@code /v2} and anything not under {@code /api},
 * Harbor's ({@code code}, {@code message}) under {@code /api}; never HTML, never with a logged stack
 * trace. Requests are written to a raw socket, since HTTP clients refuse to send most of them.
 * The context (its own, for the test filter) is closed after the class to free its connections.
 */
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@SpringBootTest(classes = {ApiTestApplication.class, ContainerRejectionIT.SendErrorFilter.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContainerRejectionIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LONG = "a".repeat(10_000);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.properties().forEach((key, value) -> registry.add(key, () -> value));
        TestAccounts.properties().forEach((key, value) -> registry.add(key, () -> value));
        // these tests barely touch the database: hold few of the server's shared connections
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "2");
        try {
            String dataDir = Files.createTempDirectory("wharf-it").toString();
            registry.add("wharf.data-dir", () -> dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private enum Format { OCI, HARBOR }

    @Test
    void answersMalformedPercentEncodingInJson(CapturedOutput output) {
        expect(output, () -> get("/v2/a%zz/tags/list", ""), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/v2/a%/tags/list", ""), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/api/v2.0/projects/a%zz", ""), 400, Format.HARBOR, "BAD_REQUEST");
        // query parameters are decoded by Tomcat when Spring first asks for one
        expect(output, () -> get("/api/v2.0/projects?name=a%zz", ""), 400, Format.HARBOR, "BAD_REQUEST");
        expect(output, () -> get("/v2/_catalog?n=%zz", "Authorization: " + TestAccounts.adminBasic() + "\r\n"), 400, Format.OCI,
            "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void answersEncodedCharactersTomcatRefusesInJson(CapturedOutput output) {
        expect(output, () -> get("/v2/a%00b/tags/list", ""), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/api/v2.0/projects/a%00b", ""), 400, Format.HARBOR, "BAD_REQUEST");
        expect(output, () -> get("/v2/a%5Cb/tags/list", ""), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/api/v2.0/projects/a%5cb", ""), 400, Format.HARBOR, "BAD_REQUEST");
    }

    @Test
    void answersOverlongHeadersInJson(CapturedOutput output) {
        expect(output, () -> get("/v2/", "X-Padding: " + LONG + "\r\n"), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/api/v2.0/projects", "X-Padding: " + LONG + "\r\n"), 400, Format.HARBOR, "BAD_REQUEST");
        expect(output, () -> get("/api/v2.0/projects", "Cookie: a=" + LONG + "\r\n"), 400, Format.HARBOR, "BAD_REQUEST");
    }

    @Test
    void answersOverlongRequestLinesInOciJsonSinceTheirPathIsUnknown(CapturedOutput output) {
        // Tomcat gives up before it has read the path, so the format cannot follow it: OCI, the default
        expect(output, () -> get("/v2/" + LONG + "/tags/list", ""), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/api/v2.0/projects?name=" + LONG, ""), 400, Format.OCI, "INVALID_ARGUMENT");
    }

    @Test
    void answersInvalidCharactersInTheRequestLineInJson(CapturedOutput output) {
        expect(output, () -> get("/v2/a{b}/tags/list", ""), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/v2/a\u0001b/tags/list", ""), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/api/v2.0/projects/a|b", ""), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> raw("G(T /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> raw("GET /v2/ HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n"), 505, Format.OCI, "UNSUPPORTED");
    }

    @Test
    void answersInvalidHeadersInJson(CapturedOutput output) {
        expect(output, () -> get("/v2/", "Bad Header: x\r\n"), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/api/v2.0/projects", "Bad Header: x\r\n"), 400, Format.HARBOR, "BAD_REQUEST");
        expect(output, () -> get("/v2/", "X-Control: a\u0001b\r\n"), 400, Format.OCI, "INVALID_ARGUMENT");
        expect(output, () -> get("/api/v2.0/projects", "X-Control: a\u0001b\r\n"), 400, Format.HARBOR, "BAD_REQUEST");
    }

    @Test
    void answersBadHostHeadersInJson(CapturedOutput output) {
        for (String target : new String[] {"/v2/", "/api/v2.0/projects"}) {
            Format format = target.startsWith("/api/") ? Format.HARBOR : Format.OCI;
            String code = format == Format.HARBOR ? "BAD_REQUEST" : "INVALID_ARGUMENT";
            expect(output, () -> raw("GET " + target + " HTTP/1.1\r\nHost: exa mple\r\nConnection: close\r\n\r\n"), 400, format, code);
            expect(output, () -> raw("GET " + target + " HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n"), 400, format, code);
            expect(output, () -> raw("GET " + target + " HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"), 400, format, code);
            expect(output, () -> raw("GET " + target + " HTTP/1.1\r\nConnection: close\r\n\r\n"), 400, format, code);
        }
    }

    @Test
    void answersTheErrorFallbackInJson(CapturedOutput output) {
        expect(output, () -> get("/v2/_test/send-error", ""), 403, Format.OCI, "DENIED");
        expect(output, () -> get("/api/v2.0/_test/send-error", ""), 403, Format.HARBOR, "FORBIDDEN");
        expect(output, () -> get("/elsewhere/_test/send-error", ""), 403, Format.OCI, "DENIED");
        expect(output, () -> get("/error", ""), 404, Format.OCI, "NOT_FOUND");
    }

    @Test
    void sendsAnonymousRequestsForConsolePagesToTheLoginPage() {
        // every path outside the machine surfaces is the console's, and its pages need a login
        RawHttp.Response response = get("/nowhere", "");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.headers().get("location")).endsWith("/login");
    }

    @Test
    void answersFailuresOutsideTheControllersInJsonWithoutDetails() {
        // the exception is logged once, by the container; the body says nothing about it
        for (String target : new String[] {"/v2/_test/fail", "/api/v2.0/_test/fail"}) {
            RawHttp.Response response = get(target, "");
            Format format = target.startsWith("/api/") ? Format.HARBOR : Format.OCI;
            JsonNode error = checkBody(response, 500, format, format == Format.HARBOR ? "INTERNAL_SERVER_ERROR" : "UNKNOWN");
            assertThat(response.body()).doesNotContain("secret-cause").doesNotContain("IllegalStateException");
            assertThat(error.toString()).contains("internal error");
        }
    }

    private RawHttp.Response get(String target, String headers) {
        return new RawHttp(port).get(target, headers);
    }

    private RawHttp.Response raw(String request) {
        return new RawHttp(port).send(request);
    }

    private void expect(CapturedOutput output, Supplier<RawHttp.Response> request, int status, Format format, String code) {
        int logged = output.getAll().length();
        checkBody(request.get(), status, format, code);
        assertThat(output.getAll().substring(logged)).as("log").doesNotContain("\tat ").doesNotContain(" ERROR ");
    }

    private static JsonNode checkBody(RawHttp.Response response, int status, Format format, String code) {
        String body = response.body();
        assertThat(response.status()).as("status: %s", body).isEqualTo(status);
        assertThat(response.contentType()).as("content type of %s", body).startsWith("application/json");
        assertThat(body.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<html").doesNotContain("<!doctype")
            .doesNotContain("\tat ");
        JsonNode errors = JSON.readTree(body).get("errors");
        assertThat(errors).as("errors of %s", body).isNotNull();
        assertThat(errors.size()).isEqualTo(1);
        JsonNode error = errors.get(0);
        List<String> fields = new ArrayList<>(error.propertyNames());
        assertThat(fields).as("fields of %s", body)
            .containsExactlyElementsOf(format == Format.OCI ? List.of("code", "message", "detail") : List.of("code", "message"));
        assertThat(error.get("code").asString()).as("code in %s", body).isEqualTo(code);
        return error;
    }

    /** Test-only endpoints outside the controllers: {@code sendError(403)} and an exception thrown by a filter. */
    @TestConfiguration(proxyBeanMethods = false)
    static class SendErrorFilter {

        @Bean
        FilterRegistrationBean<Filter> sendErrorFilter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                String uri = ((HttpServletRequest) request).getRequestURI();
                if (uri.endsWith("/_test/send-error")) {
                    ((HttpServletResponse) response).sendError(403, "test filter says no");
                } else if (uri.endsWith("/_test/fail")) {
                    throw new IllegalStateException("secret-cause");
                } else {
                    chain.doFilter(request, response);
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
