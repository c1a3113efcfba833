package io.wharf.testkit.hub;

import com.sun.net.httpserver.HttpExchange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Docker Hub's pull quota (UPSTREAMS.md §1.4): a sliding window of manifest GETs per client (the IP
 * for anonymous requests, the account otherwise), announced on manifest GET and HEAD as
 * {@code ratelimit-limit}, {@code ratelimit-remaining} and {@code docker-ratelimit-source}; HEAD is
 * not counted. When unlimited (a paid account), no headers are sent and nothing is counted.
 */
final class PullBudget {

    private int limit = 100;
    private Duration window = Duration.ofSeconds(21_600);
    private boolean unlimited;
    private final Map<String, Deque<Instant>> pulls = new HashMap<>();

    synchronized void limit(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
        this.unlimited = false;
    }

    synchronized void unlimited() {
        this.unlimited = true;
    }

    /** Pulls left for {@code client} at {@code now}. */
    synchronized int remaining(String client, Instant now) {
        Deque<Instant> times = pulls.computeIfAbsent(client, c -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(window))) {
            times.removeFirst();
        }
        return Math.max(0, limit - times.size());
    }

    /** Counts a pull; false (nothing counted) when the budget is spent. */
    synchronized boolean take(String client, Instant now) {
        if (unlimited) {
            return true;
        }
        if (remaining(client, now) == 0) {
            return false;
        }
        pulls.get(client).addLast(now);
        return true;
    }

    /** Sets the rate-limit headers of a manifest response. */
    synchronized void announce(HttpExchange ex, String client, String source, Instant now) {
        if (unlimited) {
            return;
        }
        String w = ";w=" + window.toSeconds();
        ex.getResponseHeaders().set("ratelimit-limit", limit + w);
        ex.getResponseHeaders().set("ratelimit-remaining", remaining(client, now) + w);
        ex.getResponseHeaders().set("docker-ratelimit-source", source);
    }
}
