package io.wharf.core.registry.metadata;

import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.storage.BlobInfo;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;

/** The links that let a repository serve a blob. A repository serves only what is linked to it. */
@Component
public class LinkedBlobStore {

    private final BlobLinkRepository blobs;
    private final ManifestRepository manifests;

    LinkedBlobStore(BlobLinkRepository blobs, ManifestRepository manifests) {
        this.blobs = blobs;
        this.manifests = manifests;
    }

    /** The blob, when it is linked to the repository. */
    @Transactional(readOnly = true)
    public Optional<BlobInfo> stat(long repositoryId, Digest digest) {
        return blobs.findLinkedSize(repositoryId, digest.toString()).map(size -> new BlobInfo(digest, size));
    }

    /** Links an existing blob to the repository (idempotent). */
    @Transactional
    public void link(long repositoryId, Digest digest) {
        blobs.linkIfAbsent(repositoryId, digest.toString());
    }

    /** Removes the link; returns whether there was one. The bytes stay for garbage collection. */
    @Transactional
    public boolean unlink(long repositoryId, Digest digest) {
        return blobs.unlink(repositoryId, digest.toString()) > 0;
    }

    /** Whether a manifest of the repository refers to the blob. */
    @Transactional(readOnly = true)
    public boolean isReferenced(long repositoryId, Digest digest) {
        return manifests.countReferencesTo(repositoryId, digest.toString()) > 0;
    }

    /** The repositories that link the blob, sorted by name. */
    @Transactional(readOnly = true)
    public List<RepositoryName> repositoriesLinking(Digest digest) {
        return blobs.findRepositoriesLinking(digest.toString()).stream().map(RepositoryName::new).toList();
    }

    /** Whether a repository of {@code project} links the blob or holds it as a manifest. */
    @Transactional(readOnly = true)
    public boolean heldInProject(String project, Digest digest) {
        return blobs.countInProject(project, digest.toString()) > 0;
    }
}
