package io.wharf.api.v2;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A servlet filter that tells a test when the server has taken up a request and when it has finished with it,
 * so tests of what the server does with a request (e.g. one whose client disconnects) wait for exactly that
 * instead of sleeping. Registered first in the chain by {@link RegistryIntegrationTest}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class RequestTracker extends OncePerRequestFilter {

    /** A request the server has taken up; {@link #awaitDone} returns once the server has finished with it. */
    record Exchange(String method, String uri, CountDownLatch done) {

        void awaitDone(Duration timeout) throws InterruptedException {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(method + " " + uri + " was not finished within " + timeout);
            }
        }
    }

    private final BlockingQueue<Exchange> arrived = new LinkedBlockingQueue<>();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
        Exchange exchange = new Exchange(request.getMethod(), request.getRequestURI(), new CountDownLatch(1));
        arrived.add(exchange);
        try {
            chain.doFilter(request, response);
        } finally {
            exchange.done().countDown();
        }
    }

    /** Waits until the server takes up {@code method uri} (the path without query) and returns it. */
    Exchange awaitArrival(String method, String uri, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Exchange next = arrived.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("the server did not take up " + method + " " + uri + " within " + timeout);
            }
            if (next.method().equals(method) && next.uri().equals(uri)) {
                return next;
            }
        }
    }

    /** Waits until the server has finished with every request it has taken up (since {@link #clear}). */
    void awaitFinished(Duration timeout) throws InterruptedException {
        for (Exchange exchange : List.copyOf(arrived)) {
            exchange.awaitDone(timeout);
        }
    }

    /** Forgets the requests taken up so far. */
    void clear() {
        arrived.clear();
    }
}
