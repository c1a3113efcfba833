package io.wharf.testkit.webhook;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A webhook receiver on a loopback port (JDK {@code HttpServer}): it records every request (method,
 * path, headers, body) before answering, answers 200 by default, can answer a queue of statuses first
 * ({@link #answer}), and can hold every request unanswered until {@link #release()} ({@link #hang()}),
 * for proving that a slow receiver slows nothing else. Close it after use.
 */
public final class WebhookReceiver implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param headers header names in lower case
     */
    public record Received(String method, String path, Map<String, String> headers, String body) {

        /** The header {@code name} (any case), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts a receiver on 127.0.0.1 and a free port. */
    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "webhook-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address to give a policy, {@code http://127.0.0.1:<port><path>}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Answers the next requests with {@code statuses}, one each, then 200 again. */
    public WebhookReceiver answer(int... statuses) {
        for (int status : statuses) {
            this.statuses.add(status);
        }
        return this;
    }

    /** Holds every request from now on without an answer until {@link #release()}. */
    public WebhookReceiver hang() {
        gate.set(new CountDownLatch(1));
        return this;
    }

    /** Answers the held requests and stops holding. */
    public void release() {
        gate.get().countDown();
    }

    /** Forgets what was received and what was to be answered; stops holding. */
    public WebhookReceiver reset() {
        release();
        statuses.clear();
        synchronized (received) {
            received.clear();
        }
        return this;
    }

    /** Every request so far, in the order they arrived. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The requests to {@code path}, in order. */
    public List<Received> received(String path) {
        return received().stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code count} requests to {@code path} have arrived; fails after {@code timeout}. */
    public List<Received> await(String path, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (received(path).size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " requests to " + path + ", got " + received(path));
                }
                received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return received(path);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            Headers requestHeaders = exchange.getRequestHeaders();
            requestHeaders.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            synchronized (received) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8)));
                received.notifyAll();
            }
            try {
                gate.get().await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
        }
    }
}
