package io.wharf.core.artifact;

import io.wharf.core.TextMatch;
import io.wharf.core.registry.RepositoryName;
import io.wharf.core.registry.digest.Digest;
import io.wharf.core.registry.metadata.ArtifactRow;
import io.wharf.core.registry.metadata.ManifestReference;
import io.wharf.core.registry.metadata.ManifestStore;
import io.wharf.core.registry.metadata.RepositoryRow;
import io.wharf.core.registry.metadata.RepositoryStore;
import io.wharf.core.registry.metadata.TagFilter;
import io.wharf.core.registry.metadata.TagRow;
import io.wharf.core.registry.metadata.TagStore;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a project's repositories hold, read without an access check, for Wharf's own jobs that decide
 * what to delete (tag retention); they delete through {@link io.wharf.core.registry.RegistryService}
 * with their system caller, which checks as for anyone.
 */
@Service
public class RepositoryContents {

    private static final int BATCH = 500;

    private final RepositoryStore repositories;
    private final ManifestStore manifests;
    private final TagStore tags;

    RepositoryContents(RepositoryStore repositories, ManifestStore manifests, TagStore tags) {
        this.repositories = repositories;
        this.manifests = manifests;
        this.tags = tags;
    }

    /**
     * A top-level artifact of a repository: neither listed by an index of the repository nor naming a
     * subject (a signature, an SBOM).
     *
     * @param pushedAt when it was stored or one of its tags last moved onto it, whichever is later
     * @param pulledAt when it was last pulled, as recorded so far; null when never
     * @param tags     its tag names, sorted
     */
    public record StoredArtifact(Digest digest, OffsetDateTime pushedAt, @Nullable OffsetDateTime pulledAt, List<String> tags) {
    }

    /** The names of the project's repositories, sorted. */
    @Transactional(readOnly = true)
    public List<RepositoryName> repositories(String project) {
        List<RepositoryName> names = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<RepositoryRow> rows = repositories.page(List.of(project), TextMatch.ANY, PageRequest.of(page, BATCH, Sort.by("name")));
            rows.forEach(row -> names.add(RepositoryName.of(row.name())));
            if (!rows.hasNext()) {
                return names;
            }
        }
    }

    /** The repository's top-level artifacts, oldest push first; empty for an unknown repository. */
    @Transactional(readOnly = true)
    public List<StoredArtifact> artifacts(RepositoryName name) {
        Long repositoryId = repositories.find(name).orElse(null);
        if (repositoryId == null) {
            return List.of();
        }
        List<ArtifactRow> rows = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<ArtifactRow> batch = manifests.page(repositoryId, TextMatch.ANY, TagFilter.ANY,
                PageRequest.of(page, BATCH, Sort.by("pushedAt", "id")));
            rows.addAll(batch.getContent());
            if (!batch.hasNext()) {
                break;
            }
        }
        List<Long> ids = rows.stream().map(r -> r.manifest().id()).toList();
        Set<Digest> children = new HashSet<>();
        for (ManifestReference reference : manifests.references(ids)) {
            if ("MANIFEST".equals(reference.kind())) {
                children.add(reference.digest());
            }
        }
        Map<Long, List<TagRow>> tagsById = tags.tagsOf(ids).stream().collect(Collectors.groupingBy(TagRow::manifestId));
        return rows.stream()
            .filter(r -> r.manifest().subject() == null && !children.contains(r.manifest().digest()))
            .map(r -> artifact(r, tagsById.getOrDefault(r.manifest().id(), List.of())))
            .toList();
    }

    /** Pushed: when the manifest was stored or one of its tags last moved onto it, whichever is later. */
    private static StoredArtifact artifact(ArtifactRow row, List<TagRow> tags) {
        OffsetDateTime pushedAt = row.manifest().pushedAt();
        for (TagRow tag : tags) {
            if (tag.pushedAt().isAfter(pushedAt)) {
                pushedAt = tag.pushedAt();
            }
        }
        return new StoredArtifact(row.manifest().digest(), pushedAt, row.pulledAt(), tags.stream().map(TagRow::name).toList());
    }
}
