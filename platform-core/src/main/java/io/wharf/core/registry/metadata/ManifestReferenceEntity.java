package io.wharf.core.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;
import org.jspecify.annotations.Nullable;

import java.io.Serializable;

/** One thing a manifest refers to: its config, a layer, or (for an index) a child manifest. */
@Entity
@Table(name = "manifest_reference")
class ManifestReferenceEntity implements Persistable<ManifestReferenceEntity.Key> {

    /** Rows are only ever inserted through {@code save}: no SELECT before the INSERT (keys are assigned here, not generated). */
    @Transient
    private boolean isNew = true;

    /** What the referenced digest is to the manifest. */
    enum Kind { CONFIG, LAYER, MANIFEST }

    @Embeddable
    record Key(@Column(name = "manifest_id") long manifestId, @Column(name = "position") int position)
        implements Serializable {
    }

    @EmbeddedId
    private Key key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Kind kind;

    @Column(nullable = false)
    private String digest;

    @Column(name = "media_type", nullable = false)
    private String mediaType;

    @Column(nullable = false)
    private long size;

    @Column
    private @Nullable String platform;

    protected ManifestReferenceEntity() {
    }

    ManifestReferenceEntity(long manifestId, int position, Kind kind, String digest, String mediaType, long size,
                            @Nullable String platform) {
        this.key = new Key(manifestId, position);
        this.kind = kind;
        this.digest = digest;
        this.mediaType = mediaType;
        this.size = size;
        this.platform = platform;
    }

    ManifestReference toReference() {
        return new ManifestReference(key.manifestId(), key.position(), kind.name(), io.wharf.core.registry.digest.Digest.parse(digest),
            mediaType, size, platform);
    }

    @Override
    public Key getId() {
        return key;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markPersisted() {
        isNew = false;
    }
}
