package io.wharf.testkit.hub;

import io.wharf.testkit.TestImage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the emulated Docker Hub stores: blobs by digest, and per repository its manifests, tags (with
 * the time they were last pushed) and the blobs linked into it. Thread-safe: every method locks the
 * whole store, which is plenty for tests.
 */
final class HubContent {

    /** A stored manifest under the digest it is stored (and served) as. */
    record Manifest(String digest, String mediaType, byte[] bytes) {
    }

    /** A tag: the manifest digest it names and when it was last pushed. */
    record Tag(String digest, Instant updated) {
    }

    private static final class Repository {
        final Map<String, Manifest> manifests = new HashMap<>();
        final Map<String, Tag> tags = new LinkedHashMap<>();
        final Set<String> blobs = new HashSet<>();
        Instant updated;

        Repository(Instant created) {
            this.updated = created;
        }
    }

    private final Map<String, byte[]> blobs = new HashMap<>();
    private final Map<String, Repository> repositories = new TreeMap<>();

    synchronized boolean exists(String repository) {
        return repositories.containsKey(repository);
    }

    synchronized String putBlob(String repository, byte[] content, Instant now) {
        String digest = TestImage.sha256(content);
        blobs.putIfAbsent(digest, content.clone());
        repository(repository, now).blobs.add(digest);
        return digest;
    }

    /** Links an existing blob into {@code repository}; false when the store lacks it. */
    synchronized boolean linkBlob(String repository, String digest, Instant now) {
        if (!blobs.containsKey(digest)) {
            return false;
        }
        repository(repository, now).blobs.add(digest);
        return true;
    }

    synchronized boolean hasBlob(String repository, String digest) {
        Repository repo = repositories.get(repository);
        return repo != null && repo.blobs.contains(digest) && blobs.containsKey(digest);
    }

    synchronized Optional<byte[]> blob(String digest) {
        return Optional.ofNullable(blobs.get(digest));
    }

    /** Stores a manifest under its digest, and under {@code tag} unless that is null or a digest. */
    synchronized String putManifest(String repository, String reference, String mediaType, byte[] bytes, Instant now) {
        String digest = TestImage.sha256(bytes);
        Manifest manifest = new Manifest(digest, mediaType, bytes.clone());
        Repository repo = repository(repository, now);
        repo.manifests.put(digest, manifest);
        if (reference != null && !reference.contains(":")) {
            repo.tags.put(reference, new Tag(digest, now));
        }
        repo.updated = now;
        return digest;
    }

    /** Stores {@code bytes} under {@code digest} whatever they hash to: a corrupt upstream. */
    synchronized void tamper(String repository, String digest, String mediaType, byte[] bytes, Instant now) {
        repository(repository, now).manifests.put(digest, new Manifest(digest, mediaType, bytes.clone()));
    }

    /** The manifest a tag or digest names. */
    synchronized Optional<Manifest> manifest(String repository, String reference) {
        Repository repo = repositories.get(repository);
        if (repo == null) {
            return Optional.empty();
        }
        String digest = reference.contains(":") ? reference
            : Optional.ofNullable(repo.tags.get(reference)).map(Tag::digest).orElse(null);
        return digest == null ? Optional.empty() : Optional.ofNullable(repo.manifests.get(digest));
    }

    /** Deletes a tag, or a manifest with every tag naming it; false when there was nothing. */
    synchronized boolean delete(String repository, String reference) {
        Repository repo = repositories.get(repository);
        if (repo == null) {
            return false;
        }
        if (!reference.contains(":")) {
            return repo.tags.remove(reference) != null;
        }
        repo.tags.values().removeIf(tag -> tag.digest().equals(reference));
        return repo.manifests.remove(reference) != null;
    }

    /** The tags of a repository in lexical order (as distribution lists them). */
    synchronized List<String> tags(String repository) {
        Repository repo = repositories.get(repository);
        return repo == null ? List.of() : repo.tags.keySet().stream().sorted().toList();
    }

    /** Tags with their details, most recently pushed first (as the Hub API lists them). */
    synchronized List<Map.Entry<String, Tag>> tagsByRecency(String repository) {
        Repository repo = repositories.get(repository);
        if (repo == null) {
            return List.of();
        }
        List<Map.Entry<String, Tag>> tags = new ArrayList<>(repo.tags.entrySet());
        tags.sort(Map.Entry.<String, Tag>comparingByValue((a, b) -> b.updated().compareTo(a.updated()))
            .thenComparing(Map.Entry.comparingByKey()));
        return tags;
    }

    /** Every repository name, sorted. */
    synchronized List<String> repositories() {
        return List.copyOf(repositories.keySet());
    }

    synchronized Instant updated(String repository) {
        return repositories.get(repository).updated;
    }

    private Repository repository(String name, Instant now) {
        return repositories.computeIfAbsent(name, n -> new Repository(now));
    }
}
