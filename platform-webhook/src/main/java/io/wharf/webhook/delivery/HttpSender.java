package io.wharf.webhook.delivery;

import io.wharf.core.crypto.InsecureTls;
import io.wharf.webhook.WebhookProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs one payload to one receiver with the JDK client: no redirects followed, every attempt bounded
 * by {@code wharf.webhook.timeout}. A target with {@code skip_cert_verify} gets a client that accepts
 * any certificate, as Harbor's does.
 */
@Component
class HttpSender {

    /**
     * What one attempt came to.
     *
     * @param status the HTTP status, or 0 when no answer came
     * @param error  why it failed without an answer, or null
     */
    record Outcome(int status, @Nullable String error, Duration took) {

        boolean delivered() {
            return status >= 200 && status < 300;
        }

        String describe() {
            return (status > 0 ? "HTTP " + status : "error: " + error) + " in " + took.toMillis() + " ms";
        }
    }

    private final Duration timeout;
    private final HttpClient verifying;
    private final HttpClient trusting;

    HttpSender(WebhookProperties properties) {
        this.timeout = properties.timeout();
        this.verifying = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.trusting = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(InsecureTls.trustingEveryCertificate()).build();
    }

    Outcome send(URI address, String contentType, String body, @Nullable String authorization, boolean skipCertVerify) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address).timeout(timeout)
            .header("Content-Type", contentType)
            .header("User-Agent", "Wharf-Webhook")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null && !authorization.isBlank()) {
            request.header("Authorization", authorization);
        }
        long start = System.nanoTime(); // a measurement, not a decision: the clock does not time it
        try {
            HttpResponse<Void> response = (skipCertVerify ? trusting : verifying).send(request.build(),
                HttpResponse.BodyHandlers.discarding());
            return new Outcome(response.statusCode(), null, since(start));
        } catch (HttpTimeoutException e) {
            return new Outcome(0, "no answer within " + timeout.toMillis() + " ms", since(start));
        } catch (IOException e) {
            return new Outcome(0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), since(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, "interrupted", since(start));
        } catch (IllegalArgumentException e) {
            return new Outcome(0, "bad request: " + e.getMessage(), since(start));
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
