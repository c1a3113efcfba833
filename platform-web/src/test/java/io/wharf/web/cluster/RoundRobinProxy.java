package io.wharf.web.cluster;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer for tests, on 127.0.0.1: each HTTP request goes to the next node in turn (round robin, no
 * stickiness), as nginx does in {@code docker-compose.yml}. Bodies are streamed both ways as they arrive, never
 * buffered. Every request is sent to its node with {@code Connection: close} (so the node's answer ends with the
 * connection and the client opens a new one for its next request, which then goes to the next node), and is
 * recorded with the node that served it.
 */
public final class RoundRobinProxy implements AutoCloseable {

    /** A request as the proxy routed it: method, request target, and the index of the node it went to. */
    public record Routed(String method, String target, int node) {
    }

    /** The first byte of a TLS record carrying a handshake (a ClientHello). */
    private static final int TLS_HANDSHAKE = 0x16;

    private final ServerSocket server;
    private final List<Integer> ports;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Routed> routed = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "round-robin proxy");
        thread.setDaemon(true);
        return thread;
    });

    private RoundRobinProxy(ServerSocket server, List<Integer> ports) {
        this.server = server;
        this.ports = List.copyOf(ports);
    }

    /** Listens on a free port of 127.0.0.1 and sends requests in turn to the nodes on {@code ports} (127.0.0.1). */
    public static RoundRobinProxy start(List<Integer> ports) throws IOException {
        RoundRobinProxy proxy = new RoundRobinProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), ports);
        proxy.threads.execute(proxy::accept);
        return proxy;
    }

    /** The proxy's root URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** {@code host:port}, as clients (skopeo) name the registry. */
    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The requests routed so far, in the order they arrived. */
    public List<Routed> routed() {
        return List.copyOf(routed);
    }

    /** Forgets the requests routed so far; the next request goes to the first node. */
    public void reset() {
        routed.clear();
        next.set(0);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Serves one request of {@code client}: its head rewritten, then both directions copied until the node closes. */
    private void serve(Socket client) {
        try (client) {
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            fromClient.mark(1);
            if (fromClient.read() == TLS_HANDSHAKE) {
                return; // a client trying TLS first (skopeo does): refused at once, so it falls back to plain HTTP
            }
            fromClient.reset();
            List<String> head = readHead(fromClient);
            if (head.isEmpty()) {
                return;
            }
            String[] requestLine = head.get(0).split(" ");
            int node = Math.floorMod(next.getAndIncrement(), ports.size());
            routed.add(new Routed(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", node));
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), ports.get(node))) {
                OutputStream toNode = upstream.getOutputStream();
                toNode.write(rewrite(head).getBytes(StandardCharsets.ISO_8859_1));
                toNode.flush();
                // the request body, whatever its framing, as it arrives; ends when the client's socket closes
                threads.execute(() -> {
                    try {
                        copy(fromClient, toNode);
                        upstream.shutdownOutput();
                    } catch (IOException e) {
                        // the exchange is over (the node answered and closed, or the client went away)
                    }
                });
                copy(upstream.getInputStream(), client.getOutputStream());
            }
        } catch (IOException e) {
            // a node killed mid-request, or a client that went away: the client sees its connection end
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return List.of();
    }

    private static String rewrite(List<String> head) {
        StringBuilder out = new StringBuilder(head.get(0)).append("\r\n");
        for (String header : head.subList(1, head.size())) {
            String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
            if (!name.equals("connection") && !name.equals("keep-alive") && !name.equals("proxy-connection")) {
                out.append(header).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) != -1; ) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
