package io.wharf.api.v2;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.ManifestContent;
import io.wharf.core.registry.Reference;
import io.wharf.core.registry.RegistryProperties;
import io.wharf.core.registry.RegistryService;
import io.wharf.core.registry.metadata.ManifestInfo;
import io.wharf.core.iam.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;

/** {@code /v2/<name>/manifests/<reference>}: pull, push and delete manifests and tags. */
@RestController
class ManifestController {

    private static final String PATH = "/_wharf/v2/manifest";

    private final RegistryService registry;
    private final RegistryProperties properties;
    private final RegistryTraffic traffic;

    ManifestController(RegistryService registry, RegistryProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.registry = registry;
        this.properties = properties;
        this.traffic = new RegistryTraffic(meters);
    }

    @GetMapping(PATH)
    ResponseEntity<byte[]> get(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller, HttpServletRequest request) {
        ManifestContent manifest = registry.getManifest(caller, route.repository(), Reference.parseForLookup(route.ref()),
            V2Support.accept(request));
        traffic.pulled(RegistryTraffic.Kind.MANIFEST, route.repository(), manifest.content().length);
        return ResponseEntity.ok().headers(headers(manifest.info())).body(manifest.content());
    }

    @RequestMapping(path = PATH, method = RequestMethod.HEAD)
    ResponseEntity<Void> head(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller, HttpServletRequest request) {
        ManifestInfo info = registry.statManifest(caller, route.repository(), Reference.parseForLookup(route.ref()),
            V2Support.accept(request));
        return ResponseEntity.ok().headers(headers(info)).build();
    }

    @PutMapping(PATH)
    ResponseEntity<Void> put(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller, HttpServletRequest request)
        throws IOException {
        Reference reference = Reference.parse(route.ref());
        byte[] body = readLimited(request);
        traffic.pushed(RegistryTraffic.Kind.MANIFEST, route.repository(), body.length);
        ManifestInfo stored = registry.putManifest(caller, route.repository(), reference,
            V2Support.mediaType(request.getContentType()), body);
        HttpHeaders headers = new HttpHeaders();
        headers.setLocation(java.net.URI.create(V2Support.manifestLocation(route.repository(), stored.digest())));
        headers.set(V2Support.CONTENT_DIGEST, stored.digest().toString());
        if (stored.subject() != null) {
            headers.set("OCI-Subject", stored.subject().toString());
        }
        headers.setContentLength(0);
        return ResponseEntity.status(HttpStatus.CREATED).headers(headers).build();
    }

    @DeleteMapping(PATH)
    ResponseEntity<Void> delete(@RequestAttribute(V2Route.ATTRIBUTE) V2Route route, @AuthenticationPrincipal Caller caller) {
        registry.deleteManifest(caller, route.repository(), Reference.parseForLookup(route.ref()));
        return ResponseEntity.accepted().contentLength(0).build();
    }

    private static HttpHeaders headers(ManifestInfo info) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType(info.mediaType()));
        headers.setContentLength(info.size());
        headers.set(V2Support.CONTENT_DIGEST, info.digest().toString());
        headers.setETag("\"" + info.digest() + "\"");
        return headers;
    }

    /** Reads the body, refusing (413) anything over {@code wharf.registry.max-manifest-size} without reading it all. */
    private byte[] readLimited(HttpServletRequest request) throws IOException {
        long max = properties.maxManifestSize();
        if (request.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) max + 1);
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        }
    }

    private static PlatformException tooLarge(long max) {
        return new PlatformException(ErrorCode.SIZE_INVALID, 413, "manifests may not be larger than " + max + " bytes");
    }
}
