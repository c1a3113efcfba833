package io.wharf.api.v2;

import io.wharf.api.error.OciErrors;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.registry.BlobContent;
import io.wharf.core.registry.ByteRange;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;
import io.wharf.core.iam.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * {@code /v2/<name>/blobs/<digest>}: pull (whole or one byte range) and delete blobs. Bytes stream
 * from the store to the socket; from the filesystem driver with Tomcat's sendfile (zero-copy), or
 * as a redirect to a presigned URL when the MinIO driver is configured so.
 */
@RestController
class BlobController {

    private static final String PATH = "/_wharf/v2/blob";
    private static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";

    private final RegistryService registry;
    private final RegistryTraffic traffic;

    BlobController(RegistryService registry, ObjectProvider<MeterRegistry> meters) {
        this.registry = registry;
        this.traffic = new RegistryTraffic(meters);
    }

    @RequestMapping(path = PATH, method = RequestMethod.HEAD)
    ResponseEntity<Void> head(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller) {
        BlobInfo blob = registry.statBlob(caller, route.repository(), Digest.parse(route.ref()));
        HttpHeaders headers = headers(blob);
        headers.setContentLength(blob.size());
        return ResponseEntity.ok().headers(headers).build();
    }

    @GetMapping(PATH)
    ResponseEntity<byte[]> get(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller, HttpServletRequest request,
                               HttpServletResponse response) throws IOException {
        BlobContent content = registry.readBlob(caller, route.repository(), Digest.parse(route.ref()),
            ByteRange.parse(request.getHeader(HttpHeaders.RANGE)));
        BlobInfo blob = content.blob();
        if (content instanceof BlobContent.Unsatisfiable) {
            HttpHeaders headers = headers(blob);
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + blob.size());
            return OciErrors.response(ErrorCode.RANGE_INVALID, 416, "range not satisfiable for " + blob.size() + " bytes", headers);
        }
        if (content instanceof BlobContent.Redirect redirect) {
            return ResponseEntity.status(307).headers(headers(blob)).location(URI.create(redirect.url())).build();
        }
        if (content instanceof BlobContent.LocalFile file) {
            writeHeaders(response, blob, file.slice());
            if (Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT)) && file.slice().length() > 0) {
                request.setAttribute("org.apache.tomcat.sendfile.filename", file.file().toAbsolutePath().toString());
                request.setAttribute("org.apache.tomcat.sendfile.start", file.slice().offset());
                request.setAttribute("org.apache.tomcat.sendfile.end", file.slice().offset() + file.slice().length());
                traffic.pulled(RegistryTraffic.Kind.BLOB, route.repository(), file.slice().length());
                return null;
            }
            try (FileChannel channel = FileChannel.open(file.file(), StandardOpenOption.READ)) {
                channel.position(file.slice().offset());
                copy(Channels.newInputStream(channel), response.getOutputStream(), file.slice().length(), route);
            }
            return null;
        }
        BlobContent.Streamed streamed = (BlobContent.Streamed) content;
        try (InputStream in = streamed.content()) {
            writeHeaders(response, blob, streamed.slice());
            copy(in, response.getOutputStream(), streamed.slice().length(), route);
        }
        return null;
    }

    @DeleteMapping(PATH)
    ResponseEntity<Void> delete(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller) {
        registry.deleteBlob(caller, route.repository(), Digest.parse(route.ref()));
        return ResponseEntity.accepted().contentLength(0).build();
    }

    private static void writeHeaders(HttpServletResponse response, BlobInfo blob, BlobContent.Slice slice) {
        response.setStatus(slice.partial() ? 206 : 200);
        headers(blob).forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(slice.length());
        if (slice.partial()) {
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + slice.offset() + "-" + slice.last() + "/" + blob.size());
        }
    }

    private static HttpHeaders headers(BlobInfo blob) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(V2Support.CONTENT_DIGEST, blob.digest().toString());
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        headers.setETag("\"" + blob.digest() + "\"");
        headers.setCacheControl("max-age=31536000");
        headers.set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        return headers;
    }

    /** Copies {@code length} bytes and counts what was written, also when the client goes away half-way. */
    private void copy(InputStream in, OutputStream out, long length, V2Route route) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        try {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("blob ended " + left + " bytes early");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        } finally {
            traffic.pulled(RegistryTraffic.Kind.BLOB, route.repository(), length - left);
        }
    }
}
