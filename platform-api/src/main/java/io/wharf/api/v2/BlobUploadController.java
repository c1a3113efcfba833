package io.wharf.api.v2;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.BlobUploadService;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;
import io.wharf.core.registry.metadata.UploadSession;
import io.wharf.core.iam.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v2/<name>/blobs/uploads/}: push blobs. Monolithic ({@code POST ?digest=} with the body, or
 * {@code POST} then {@code PUT ?digest=} with the body), chunked ({@code PATCH} with
 * {@code Content-Range}, then {@code PUT}), streamed ({@code PATCH} without {@code Content-Range}),
 * status, cancel, and cross-repository mount ({@code POST ?mount=&from=}).
 */
@RestController
class BlobUploadController {

    private static final String START = "/_wharf/v2/uploads";
    private static final String SESSION = "/_wharf/v2/upload";
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");

    private final BlobUploadService uploads;
    private final RegistryTraffic traffic;

    BlobUploadController(BlobUploadService uploads, ObjectProvider<MeterRegistry> meters) {
        this.uploads = uploads;
        this.traffic = new RegistryTraffic(meters);
    }

    @PostMapping(START)
    ResponseEntity<Void> start(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route,
                               @RequestParam(required = false) @Nullable String mount,
                               @RequestParam(required = false) @Nullable String from,
                               @RequestParam(required = false) @Nullable String digest,
                               @AuthenticationPrincipal Caller caller,
                               HttpServletRequest request) throws IOException {
        RepositoryName name = route.repository();
        Optional<BlobInfo> mounted = mount == null ? Optional.empty() : mount(caller, name, mount, from);
        if (mounted.isPresent()) {
            return created(name, mounted.get());
        }
        if (digest != null) {
            Digest expected = Digest.parse(digest);
            UploadSession session = uploads.start(caller, name);
            RequestBody body = RequestBody.of(request);
            try {
                return created(name, uploads.complete(caller, name, session.id(), expected, null, V2Support.contentLength(request), body));
            } finally {
                traffic.pushed(RegistryTraffic.Kind.BLOB, name, body.count());
            }
        }
        return progress(HttpStatus.ACCEPTED, uploads.start(caller, name));
    }

    /** A mount that cannot be done (unknown blob, no access, malformed arguments) starts an upload instead, as the spec says. */
    private Optional<BlobInfo> mount(Caller caller, RepositoryName name, String mount, @Nullable String from) {
        Digest digest;
        RepositoryName source;
        try {
            digest = Digest.parse(mount);
            source = from == null || from.isEmpty() ? null : RepositoryName.of(from);
        } catch (PlatformException malformed) {
            return Optional.empty();
        }
        return uploads.mount(caller, name, digest, source);
    }

    @GetMapping(SESSION)
    ResponseEntity<Void> status(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller) {
        return progress(HttpStatus.NO_CONTENT, uploads.get(caller, route.repository(), uploadId(route)));
    }

    @PatchMapping(SESSION)
    ResponseEntity<Void> patch(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller, HttpServletRequest request)
        throws IOException {
        UUID id = uploadId(route);
        Long[] range = contentRange(request);
        Long declared = declaredLength(range, request);
        RequestBody body = RequestBody.of(request);
        try {
            return progress(HttpStatus.ACCEPTED, uploads.append(caller, route.repository(), id, range == null ? null : range[0],
                declared, body));
        } finally {
            traffic.pushed(RegistryTraffic.Kind.BLOB, route.repository(), body.count());
        }
    }

    @PutMapping(SESSION)
    ResponseEntity<Void> complete(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller,
                                  @RequestParam(required = false) @Nullable String digest,
                                  HttpServletRequest request) throws IOException {
        UUID id = uploadId(route);
        if (digest == null || digest.isEmpty()) {
            uploads.get(caller, route.repository(), id);
            throw new PlatformException(ErrorCode.DIGEST_INVALID, "the digest query parameter is required to complete an upload");
        }
        Digest expected = Digest.parse(digest);
        Long[] range = contentRange(request);
        Long declared = declaredLength(range, request);
        RequestBody body = V2Support.hasBody(request) ? RequestBody.of(request) : null;
        try {
            return created(route.repository(), uploads.complete(caller, route.repository(), id, expected,
                range == null ? null : range[0], declared, body));
        } finally {
            if (body != null) {
                traffic.pushed(RegistryTraffic.Kind.BLOB, route.repository(), body.count());
            }
        }
    }

    @DeleteMapping(SESSION)
    ResponseEntity<Void> cancel(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller) {
        uploads.cancel(caller, route.repository(), uploadId(route));
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<Void> created(RepositoryName name, BlobInfo blob) {
        HttpHeaders headers = new HttpHeaders();
        headers.setLocation(URI.create(V2Support.blobLocation(name, blob.digest())));
        headers.set(V2Support.CONTENT_DIGEST, blob.digest().toString());
        headers.setContentLength(0);
        return ResponseEntity.status(HttpStatus.CREATED).headers(headers).build();
    }

    private static ResponseEntity<Void> progress(HttpStatus status, UploadSession session) {
        HttpHeaders headers = new HttpHeaders();
        headers.setLocation(URI.create(V2Support.uploadLocation(session.repository(), session.id())));
        headers.set(HttpHeaders.RANGE, "0-" + Math.max(0, session.size() - 1));
        headers.set(V2Support.UPLOAD_UUID, session.id().toString());
        if (status != HttpStatus.NO_CONTENT) {
            headers.setContentLength(0);
        }
        return ResponseEntity.status(status).headers(headers).build();
    }

    private static UUID uploadId(V2Route route) {
        try {
            return UUID.fromString(route.ref());
        } catch (IllegalArgumentException e) {
            throw new PlatformException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "no upload " + route.ref());
        }
    }

    /** The chunk length the client declares by {@code Content-Range} and {@code Content-Length}, which must agree. */
    private static @Nullable Long declaredLength(Long @Nullable [] range, HttpServletRequest request) {
        Long length = V2Support.contentLength(request);
        if (range == null) {
            return length;
        }
        long covered = range[1] - range[0] + 1;
        if (length != null && length != covered) {
            throw new PlatformException(ErrorCode.BLOB_UPLOAD_INVALID,
                "Content-Range covers " + covered + " bytes but Content-Length is " + length);
        }
        return covered;
    }

    /** {@code [first, last]} of the request's {@code Content-Range}, or null when it has none. */
    private static Long @Nullable [] contentRange(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_RANGE);
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw new PlatformException(ErrorCode.BLOB_UPLOAD_INVALID, 416, "malformed Content-Range: " + header);
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        if (last < first) {
            throw new PlatformException(ErrorCode.BLOB_UPLOAD_INVALID, 416, "Content-Range ends before it starts: " + header);
        }
        return new Long[] {first, last};
    }
}
