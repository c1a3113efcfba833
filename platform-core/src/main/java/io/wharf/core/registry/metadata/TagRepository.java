package io.wharf.core.registry.metadata;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

interface TagRepository extends JpaRepository<TagEntity, Long> {

    Optional<TagEntity> findByRepositoryIdAndName(long repositoryId, String name);

    /** Keyset page of tag names; ordered by code point through the column's collation (see the migrations). */
    @Query(value = "SELECT name FROM tag WHERE repository_id = :repositoryId AND name > :after ORDER BY name LIMIT :limit",
        nativeQuery = true)
    List<String> findNamesAfter(long repositoryId, String after, int limit);

    @Modifying
    @Transactional
    @Query(value = "INSERT INTO tag (repository_id, name, manifest_id, updated_at) VALUES (:repositoryId, :name, :manifestId, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING",
        nativeQuery = true)
    int insertIfAbsent(long repositoryId, String name, long manifestId);

    @Modifying
    @Transactional
    @Query(value = "UPDATE tag SET manifest_id = :manifestId, updated_at = CURRENT_TIMESTAMP WHERE repository_id = :repositoryId AND name = :name",
        nativeQuery = true)
    int repoint(long repositoryId, String name, long manifestId);

    @Modifying
    @Transactional
    @Query(value = "DELETE FROM tag WHERE repository_id = :repositoryId AND name = :name", nativeQuery = true)
    int deleteByName(long repositoryId, String name);

    List<TagEntity> findByManifestIdInOrderByName(Collection<Long> manifestIds);

    /**
     * One page of the manifest's tags whose names match the LIKE {@code namePattern} (escaped with {@code !})
     * and, unless {@code anyName}, are among {@code names} (a {@link io.wharf.core.TextMatch}).
     */
    @Query(value = "SELECT t FROM TagEntity t WHERE " + PAGE_WHERE,
        countQuery = "SELECT COUNT(t) FROM TagEntity t WHERE " + PAGE_WHERE)
    Page<TagEntity> findPage(long manifestId, String namePattern, boolean anyName, Collection<String> names, Pageable pageable);

    String PAGE_WHERE = "t.manifestId = :manifestId AND t.name LIKE :namePattern ESCAPE '!' "
        + "AND (:anyName = true OR t.name IN :names)";

    /** Records a pull by the tag; the time only moves forward. */
    @Modifying
    @Transactional
    @Query(value = "UPDATE tag SET pulled_at = :at WHERE name = :tag "
        + "AND repository_id = (SELECT r.id FROM repository r WHERE r.name = :repository) "
        + "AND (pulled_at IS NULL OR pulled_at < :at)", nativeQuery = true)
    int recordPull(String repository, String tag, OffsetDateTime at);
}
