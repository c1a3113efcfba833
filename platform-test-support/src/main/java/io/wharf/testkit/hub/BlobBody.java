package io.wharf.testkit.hub;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves blob bytes, as the CDN (and the registry in direct mode) does: {@code Range: bytes=N-} and
 * {@code bytes=N-M} answered 206, and the "cut body" fault, which sends the headers of the whole
 * answer, then only some bytes, then drops the connection.
 */
final class BlobBody {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private BlobBody() {
    }

    static void serve(HttpExchange ex, String digest, byte[] blob, Switches switches) throws IOException {
        long start = 0;
        long end = blob.length - 1L;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) >= blob.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + blob.length);
                Exchanges.empty(ex, 416);
                return;
            }
            start = Long.parseLong(m.group(1));
            end = m.group(2).isEmpty() ? end : Math.min(end, Long.parseLong(m.group(2)));
            status = 206;
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + blob.length);
        }
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.getResponseHeaders().set("Docker-Content-Digest", digest);
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        int length = (int) (end - start + 1);
        Exchanges.status(ex, status);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(length));
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        long cut = switches.takeCut();
        if (Switches.take(switches.corruptions)) {
            blob = blob.clone();
            blob[(int) (start + length / 2)] ^= 0x5a;
        }
        DockerHubEmulator.Hold hold = switches.hold;
        switches.hold = null;
        ex.sendResponseHeaders(status, length);
        OutputStream out = ex.getResponseBody();
        if (cut >= 0 && cut < length) {
            out.write(blob, (int) start, (int) cut);
            out.flush();
            throw new Switches.DroppedConnection("blob body cut after " + cut + " bytes");
        }
        if (hold != null && hold.bytes() < length) {
            out.write(blob, (int) start, (int) hold.bytes());
            out.flush();
            try {
                hold.hold();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Switches.DroppedConnection("interrupted while held");
            }
            out.write(blob, (int) (start + hold.bytes()), (int) (length - hold.bytes()));
        } else {
            out.write(blob, (int) start, length);
        }
        out.close();
        ex.close();
    }
}
