package io.wharf.replication.upstream;

import io.wharf.core.error.PlatformException;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.manifest.MediaTypes;
import io.wharf.replication.upstream.UpstreamRegistry.Kind;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

import java.io.IOException;
import java.io.InputStream;
import java.io.FilterInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A client of one remote registry over the OCI distribution API ({@code /v2}), plus Docker Hub's
 * listing API. Get one from {@link UpstreamClients#client}; it is thread-safe and cheap.
 *
 * <p>Repository names are the upstream's; on {@link Kind#DOCKER_HUB} they are {@link #normalize}d
 * first, so {@code nginx} means {@code library/nginx}. Every method authenticates through the
 * upstream's challenge (tokens cached per account and scope), retries transient failures with
 * backoff, sits out short 429s, and otherwise throws {@link UpstreamException} or
 * {@link UpstreamRateLimitedException}. At most {@code wharf.replication.upstream-concurrency}
 * requests per upstream are in flight; an open blob stream holds one of them until it is closed, so
 * close it before calling the same upstream again from the same thread.
 */
public final class UpstreamClient {

    /** The manifest types Wharf stores, as an {@code Accept} list: indexes first, so a tag yields its index. */
    public static final List<String> MANIFEST_MEDIA_TYPES = List.of(MediaTypes.OCI_INDEX,
        MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);

    /** The largest manifest accepted (containerd's limit too). */
    static final int MANIFEST_LIMIT = 4 << 20;

    private final UpstreamRegistry registry;
    private final Transport transport;
    private final UpstreamState state;
    private final UpstreamProperties properties;
    private final Listing listing;

    UpstreamClient(UpstreamRegistry registry, Transport transport, UpstreamState state, UpstreamProperties properties) {
        this.registry = registry;
        this.transport = transport;
        this.state = state;
        this.properties = properties;
        this.listing = new Listing(registry, transport);
    }

    /**
     * Docker Hub's canonical repository name for what users type or paste (R18): {@code nginx},
     * {@code docker.io/nginx}, {@code index.docker.io/library/nginx}, {@code registry-1.docker.io/library/nginx},
     * {@code hub.docker.com/_/nginx} all give {@code library/nginx}; {@code hub.docker.com/r/bitnami/redis}
     * gives {@code bitnami/redis}.
     *
     * @throws IllegalArgumentException for an empty name, one with a tag or digest, or one of another registry
     */
    public static String normalize(String name) {
        return DockerHubNames.normalize(name);
    }

    /** The upstream this client talks to. */
    public UpstreamRegistry registry() {
        return registry;
    }

    /**
     * "Test connection": {@code GET /v2/}, then, when challenged, a token (or Basic) request with the
     * configured credentials. Never throws and never retries.
     */
    public Ping ping() {
        Received received;
        try {
            received = transport.send(Call.registry("GET", v2(""), RequestKind.PING, List.of()).once());
        } catch (UpstreamException e) {
            return e.status() == 0 ? new Ping(false, false, registry.url() + " is unreachable: " + e.getMessage())
                : new Ping(true, false, e.getMessage());
        }
        int status = received.status();
        received.close();
        if (status != 200) {
            return new Ping(true, false, registry.url() + "/v2/ answered " + status);
        }
        Challenge challenge = state.challenge();
        if (!registry.hasCredentials() || challenge == null) {
            return new Ping(true, true, challenge == null ? "reachable; no authentication required"
                : "reachable; anonymous access works");
        }
        if (challenge.bearer() && challenge.realm() != null
            && !transport.authorizer().mayReceiveCredentials(URI.create(challenge.realm()))) {
            return new Ping(true, true, "reachable; credentials not sent: the token realm " + challenge.realm()
                + " is not on the registry's domain");
        }
        return new Ping(true, true, "reachable; credentials accepted");
    }

    /**
     * The digest, media type and size of a manifest, by HEAD: free on Docker Hub, unlike a GET.
     *
     * @param accept the media types to accept ({@link #MANIFEST_MEDIA_TYPES} when empty); send the same
     *               list as the GET, since a registry may answer another manifest for another list
     * @return empty when the upstream answers 404
     */
    public Optional<ManifestHead> headManifest(String repository, String reference, List<String> accept) {
        String name = name(repository);
        Received received = transport.send(Call.registry("HEAD", manifestUri(name, reference), RequestKind.MANIFEST,
            List.of(pull(name))).header("Accept", accept(accept)));
        if (received.status() == 404) {
            received.close();
            return Optional.empty();
        }
        received.expect("HEAD manifest " + name + ":" + reference, 200).close();
        Digest digest = received.headers().firstValue("Docker-Content-Digest").map(UpstreamClient::digestOrNull)
            .orElse(null);
        long size = received.headers().firstValueAsLong("Content-Length").orElse(-1);
        return Optional.of(new ManifestHead(digest, received.contentType(), size));
    }

    /**
     * A manifest's bytes as the upstream stores them (counts as a pull on Docker Hub). Its digest is
     * computed here; for a request by digest, it must equal that digest.
     *
     * @param accept as for {@link #headManifest}
     * @throws UpstreamException 404 {@code MANIFEST_UNKNOWN} and the like; {@code DIGEST_INVALID} when the
     *         bytes do not match the requested digest; when the manifest is larger than 4 MiB
     */
    public Manifest getManifest(String repository, String reference, List<String> accept) {
        String name = name(repository);
        Digest requested = Digest.isDigest(reference) ? digest(reference) : null;
        Received received = transport.send(Call.registry("GET", manifestUri(name, reference), RequestKind.MANIFEST,
            List.of(pull(name))).header("Accept", accept(accept)));
        received.expect("GET manifest " + name + ":" + reference, 200);
        String mediaType = received.contentType();
        byte[] bytes = received.bytes(MANIFEST_LIMIT);
        Digest actual = Digest.of(requested == null ? Digest.SHA256 : requested.algorithm(), bytes);
        if (requested != null && !requested.equals(actual)) {
            throw new UpstreamException(200, "DIGEST_INVALID", "manifest " + name + "@" + requested
                + " from " + registry.url() + " hashes to " + actual);
        }
        return new Manifest(bytes, mediaType.isEmpty() || mediaType.equals("application/json")
            ? declaredMediaType(bytes, mediaType) : mediaType, actual);
    }

    /** Every tag of a repository, following {@code Link} pages. */
    public List<String> tags(String repository) {
        return listing.tags(name(repository));
    }

    /**
     * The repositories under a namespace, as full names ({@code ns/name}). Docker Hub is listed through
     * its web API, one namespace at a time ({@code library} for official images); other registries
     * through {@code /v2/_catalog}, filtered by the prefix.
     *
     * @param namespace required on Docker Hub; elsewhere null or empty lists the whole catalog
     */
    public List<String> repositories(@Nullable String namespace) {
        if (registry.kind() == Kind.DOCKER_HUB) {
            if (namespace == null || namespace.isBlank() || namespace.contains("/")) {
                throw new IllegalArgumentException("Docker Hub lists one namespace at a time, not '" + namespace + "'");
            }
            return listing.hubRepositories(namespace.strip());
        }
        return listing.catalog(namespace);
    }

    /**
     * A blob's size by HEAD (following redirects), or empty when the upstream answers 404.
     *
     * @return the {@code Content-Length}, or -1 when the upstream sends none
     */
    public Optional<Long> headBlob(String repository, Digest digest) {
        String name = name(repository);
        Received received = transport.send(Call.registry("HEAD", blobUri(name, digest), RequestKind.BLOB,
            List.of(pull(name))).followingRedirects());
        if (received.status() == 404) {
            received.close();
            return Optional.empty();
        }
        received.expect("HEAD blob " + name + "@" + digest, 200).close();
        return Optional.of(received.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /**
     * A blob's bytes as a stream, for {@code BlobStore.ingest} (which verifies the digest). Redirects
     * (a CDN) are followed without credentials to other hosts (R24); a broken read resumes with
     * {@code Range} up to {@code blob-resume-attempts} times (R12). Nothing is buffered. The stream
     * holds a concurrency permit until closed.
     *
     * @param size the expected size (a shorter body is a broken read), or -1 when unknown
     * @throws UpstreamException when the blob cannot be opened (404 {@code BLOB_UNKNOWN}, ...)
     */
    public InputStream openBlob(String repository, Digest digest, long size) {
        String name = name(repository);
        return new ResumingBlobStream(offset -> openBlobAt(name, digest, offset), size,
            properties.blobResumeAttempts(), state);
    }

    private InputStream openBlobAt(String name, Digest digest, long offset) {
        Call call = Call.registry("GET", blobUri(name, digest), RequestKind.BLOB, List.of(pull(name)))
            .followingRedirects();
        if (offset > 0) {
            call = call.header("Range", "bytes=" + offset + "-");
        }
        Received received = transport.send(call);
        String what = "GET blob " + name + "@" + digest;
        if (offset > 0 && received.status() == 206) {
            String range = received.header("Content-Range", "");
            if (!range.startsWith("bytes " + offset + "-")) {
                received.close();
                throw new UpstreamException(206, null, what + ": asked for bytes from " + offset + ", got " + range);
            }
            return received.stream();
        }
        InputStream body = received.expect(what, 200).stream();
        if (offset > 0) {
            skipFully(body, offset); // the upstream ignored Range: drop what we already have
        }
        return body;
    }

    /**
     * Mounts a blob from another repository of the same upstream ({@code POST ?mount=&from=}).
     *
     * @return true when mounted (201); false when the upstream started an upload instead (202), which
     *         is cancelled, so the caller pushes the blob
     */
    public boolean mountBlob(String repository, Digest digest, String fromRepository) {
        String name = name(repository);
        String from = name(fromRepository);
        URI uri = v2(name + "/blobs/uploads/?mount=" + encode(digest.toString()) + "&from=" + encode(from));
        Received received = transport.send(Call.registry("POST", uri, RequestKind.BLOB,
            List.of(push(name), pull(from))).body(BodyPublishers::noBody, true));
        if (received.status() == 201) {
            received.close();
            return true;
        }
        received.expect("mount " + digest + " from " + from + " into " + name, 202).close();
        received.headers().firstValue("Location").ifPresent(location -> cancelUpload(name, uri.resolve(location)));
        return false;
    }

    /**
     * Pushes a blob in one streamed PUT ({@code POST} then {@code PUT ?digest=} with {@code Content-Length}).
     * The stream is read once and not closed (the caller owns it); a failure is not retried, since the
     * stream cannot be replayed.
     */
    public void pushBlob(String repository, Digest digest, long size, InputStream content) {
        String name = name(repository);
        URI start = v2(name + "/blobs/uploads/");
        Received started = transport.send(Call.registry("POST", start, RequestKind.BLOB, List.of(push(name)))
            .body(BodyPublishers::noBody, true));
        started.expect("start upload of " + digest + " to " + name, 202).close();
        String location = started.headers().firstValue("Location").orElseThrow(() ->
            new UpstreamException(202, null, "upload to " + name + " started without a Location"));
        URI upload = start.resolve(location);
        URI put = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest=" + encode(digest.toString()));
        Received done = transport.send(Call.registry("PUT", put, RequestKind.BLOB, List.of(push(name)))
            .header("Content-Type", MediaTypes.OCTET_STREAM)
            .body(() -> BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> unclosable(content)), size),
                false));
        done.expect("upload of " + digest + " to " + name, 201).close();
    }

    /**
     * Puts a manifest under a tag or its digest.
     *
     * @return the digest the upstream reports ({@code Docker-Content-Digest}), else the sha256 of the bytes
     */
    public Digest putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        String name = name(repository);
        Received received = transport.send(Call.registry("PUT", manifestUri(name, reference), RequestKind.MANIFEST,
            List.of(push(name))).header("Content-Type", mediaType).body(() -> BodyPublishers.ofByteArray(manifest), true));
        received.expect("PUT manifest " + name + ":" + reference, 201, 200).close();
        return received.headers().firstValue("Docker-Content-Digest").map(UpstreamClient::digestOrNull)
            .orElseGet(() -> Digest.sha256(manifest));
    }

    /** Deletes a manifest by tag or digest; one already gone (404) is fine. */
    public void deleteManifest(String repository, String reference) {
        String name = name(repository);
        Received received = transport.send(Call.registry("DELETE", manifestUri(name, reference), RequestKind.MANIFEST,
            List.of(push(name))));
        if (received.status() == 404) {
            received.close();
            return;
        }
        received.expect("DELETE manifest " + name + ":" + reference, 202, 200, 204).close();
    }

    /** The pull budget last announced by this upstream (shared by all its clients); {@link RateLimit#UNKNOWN} before any. */
    public RateLimit rateLimit() {
        return state.rateLimit();
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String pull(String name) {
        return "repository:" + name + ":pull";
    }

    static String push(String name) {
        return "repository:" + name + ":pull,push";
    }

    private String name(String repository) {
        String trimmed = repository.strip().replaceAll("^/+|/+$", "");
        return registry.kind() == Kind.DOCKER_HUB ? normalize(trimmed) : trimmed;
    }

    private URI v2(String path) {
        return URI.create(registry.url() + "/v2/" + path);
    }

    private URI manifestUri(String name, String reference) {
        return v2(name + "/manifests/" + reference);
    }

    private URI blobUri(String name, Digest digest) {
        return v2(name + "/blobs/" + digest);
    }

    private void cancelUpload(String name, URI upload) {
        try {
            transport.send(Call.registry("DELETE", upload, RequestKind.BLOB, List.of(push(name))).once()).close();
        } catch (UpstreamException e) {
            // an abandoned upload expires upstream; the mount answer stands
        }
    }

    private static String accept(List<String> accept) {
        return String.join(", ", accept.isEmpty() ? MANIFEST_MEDIA_TYPES : accept);
    }

    private static Digest digest(String reference) {
        try {
            return Digest.parse(reference);
        } catch (PlatformException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static @Nullable Digest digestOrNull(String value) {
        try {
            return Digest.parse(value.strip());
        } catch (PlatformException e) {
            return null;
        }
    }

    private static String declaredMediaType(byte[] manifest, String otherwise) {
        try {
            return ErrorBody.JSON.readTree(manifest).path("mediaType").asString(otherwise);
        } catch (JacksonException e) {
            return otherwise;
        }
    }

    private static void skipFully(InputStream in, long count) {
        try {
            in.skipNBytes(count);
        } catch (IOException e) {
            try {
                in.close();
            } catch (IOException ignored) {
                // reported below
            }
            throw new UpstreamException(0, null, "skipping " + count + " bytes of a blob failed: " + e, e);
        }
    }

    private static InputStream unclosable(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // the caller closes its stream
            }
        };
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
