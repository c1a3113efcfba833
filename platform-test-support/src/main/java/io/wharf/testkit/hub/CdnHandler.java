package io.wharf.testkit.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code production.cloudflare.docker.com}: serves {@code /blobs/<digest>?expires=..&signature=..},
 * the self-authorising URLs the registry redirects blob GETs to, with {@code Range} support. It needs
 * no {@code Authorization}; the request log tells whether one came anyway.
 */
final class CdnHandler implements HttpHandler {

    private final HubContent content;
    private final Switches switches;

    CdnHandler(HubContent content, Switches switches) {
        this.content = content;
        this.switches = switches;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String digest = path.startsWith("/blobs/") ? path.substring("/blobs/".length()) : "";
        Optional<byte[]> blob = content.blob(digest);
        if (blob.isEmpty() || ex.getRequestURI().getQuery() == null) {
            Exchanges.send(ex, 404, "application/xml", "<Error><Code>NoSuchKey</Code></Error>".getBytes());
            return;
        }
        BlobBody.serve(ex, digest, blob.get(), switches);
    }
}
