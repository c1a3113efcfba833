package io.wharf.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser as the console sees one: it keeps cookies (the session, {@code XSRF-TOKEN}) for
 * {@code 127.0.0.1} across the nodes it talks to, never follows redirects, logs in through the
 * login form with its CSRF field, and sends the CSRF token on changes the way the console's scripts
 * do ({@code X-XSRF-TOKEN}). For API calls with credentials use {@link RegistryClient}.
 */
public final class ConsoleBrowser {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final CookieManager cookies = new CookieManager();
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
        .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The CSRF token of the first form in a console page; fails when the page has none. */
    public static String csrf(String html) {
        Matcher csrf = CSRF_FIELD.matcher(html);
        if (!csrf.find()) {
            throw new AssertionError("no CSRF field in the page");
        }
        return csrf.group(1);
    }

    /**
     * Opens {@code /login} on the node at {@code port}, then posts the form with the given
     * credentials and the page's CSRF token. A successful login answers 302 to the page after login,
     * a failed one 302 to {@code /login?error}.
     */
    public HttpResponse<String> login(int port, String username, String password) {
        HttpResponse<String> page = get(port, "/login");
        Matcher csrf = CSRF_FIELD.matcher(page.body());
        if (page.statusCode() != 200 || !csrf.find()) {
            throw new AssertionError("no login form with a CSRF field: " + page.statusCode() + " " + page.body());
        }
        return postForm(port, "/login", "username=" + encode(username) + "&password=" + encode(password)
            + "&_csrf=" + encode(csrf.group(1)));
    }

    /** GET {@code path} with the browser's cookies. */
    public HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(uri(port, path)).GET());
    }

    /** POST an urlencoded form as it is, without adding a CSRF token. */
    public HttpResponse<String> postForm(int port, String path, String form) {
        return send(HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /**
     * Submits a form of {@code page} (the HTML the form is on): POSTs {@code fields}, urlencoded in their
     * order, with the page's CSRF token.
     */
    public HttpResponse<String> submit(int port, String path, String page, java.util.Map<String, String> fields) {
        Matcher csrf = CSRF_FIELD.matcher(page);
        if (!csrf.find()) {
            throw new AssertionError("no CSRF field on the page: " + page);
        }
        StringBuilder form = new StringBuilder("_csrf=").append(encode(csrf.group(1)));
        fields.forEach((name, value) -> form.append('&').append(encode(name)).append('=').append(encode(value)));
        return postForm(port, path, form.toString());
    }

    /**
     * POST an urlencoded form as it is, as a browser posts it from the page {@code from} (a path, sent
     * as the {@code Referer}), without adding a CSRF token.
     */
    public HttpResponse<String> postForm(int port, String path, String form, String from) {
        return send(HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/x-www-form-urlencoded")
            .header("Referer", uri(port, from).toString()).POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /**
     * {@code method} with a JSON body; with {@code csrf} the {@code XSRF-TOKEN} cookie's value goes in
     * the {@code X-XSRF-TOKEN} header, as the console's scripts send it.
     */
    public HttpResponse<String> sendJson(int port, String method, String path, String json, boolean csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (csrf) {
            request.header("X-XSRF-TOKEN", cookie("XSRF-TOKEN").orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie")));
        }
        return send(request);
    }

    /** POST {@code /logout} with the CSRF header. */
    public HttpResponse<String> logout(int port) {
        return send(HttpRequest.newBuilder(uri(port, "/logout"))
            .header("X-XSRF-TOKEN", cookie("XSRF-TOKEN").orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie")))
            .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The value of the browser's cookie {@code name}, when it has one. */
    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue)
            .findFirst();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
