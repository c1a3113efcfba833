package io.wharf.core.registry.metadata;

import org.springframework.data.domain.Pageable;
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

interface RepositoryRepository extends JpaRepository<RepositoryEntity, Long> {

    Optional<RepositoryEntity> findByName(String name);

    @Modifying
    @Transactional
    @Query(value = "INSERT INTO repository (name, project, created_at, updated_at) "
        + "VALUES (:name, :project, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING", nativeQuery = true)
    int insertIfAbsent(String name, String project);

    /** Keyset page of names; ordered by code point through the column's collation (see the migrations). */
    @Query(value = "SELECT name FROM repository WHERE name > :after ORDER BY name LIMIT :limit", nativeQuery = true)
    List<String> findNamesAfter(String after, int limit);

    /** The number of repositories of {@code project} (the first segment of their names). */
    @Query("select count(r) from RepositoryEntity r where r.project = :project")
    long countInProject(String project);

    /**
     * One page of repositories with their counts: of every project when {@code everything}, else of
     * the {@code projects}; narrowed to names matching the LIKE {@code namePattern} (escaped with {@code !})
     * and, unless {@code anyName}, among {@code names} (a {@link io.wharf.core.TextMatch}).
     */
    @Query(value = ROW + " WHERE " + ROWS_WHERE, countQuery = "SELECT COUNT(r) FROM RepositoryEntity r WHERE " + ROWS_WHERE)
    Page<RepositoryRow> findRows(boolean everything, Collection<String> projects, String namePattern, boolean anyName,
                                 Collection<String> names, Pageable pageable);

    String ROWS_WHERE = "(:everything = true OR r.project IN :projects) AND r.name LIKE :namePattern ESCAPE '!' "
        + "AND (:anyName = true OR r.name IN :names)";

    @Query(ROW + " WHERE r.name = :name")
    Optional<RepositoryRow> findRow(String name);

    String ROW = "SELECT new io.wharf.core.registry.metadata.RepositoryRow(r.id, r.name, r.description, "
        + "(SELECT COUNT(m) FROM ManifestEntity m WHERE m.repositoryId = r.id), r.pullCount, r.createdAt, r.updatedAt, "
        + "(SELECT MAX(m2.pushedAt) FROM ManifestEntity m2 WHERE m2.repositoryId = r.id)) FROM RepositoryEntity r";

    /** Adds {@code count} pulls; the update time only moves forward. An increment, so nodes never overwrite each other. */
    @Modifying
    @Transactional
    @Query(value = "UPDATE repository SET pull_count = pull_count + :count, "
        + "updated_at = CASE WHEN updated_at < :at THEN :at ELSE updated_at END WHERE name = :name", nativeQuery = true)
    int addPulls(String name, long count, OffsetDateTime at);

    @Modifying
    @Transactional
    @Query(value = "DELETE FROM repository WHERE id = :id", nativeQuery = true)
    int deleteRow(long id);
    /** The number of repositories whose project (first name segment) is one of {@code projects}. */
    @Query("select count(r) from RepositoryEntity r where r.project in :projects")
    long countInProjects(Collection<String> projects);

    /**
     * Repositories whose name matches the LIKE {@code namePattern} (escaped with {@code !}), in any
     * project when {@code everything}, else in one of {@code projects}, by name: each as its name and
     * its number of manifests.
     */
    @Query("select r.name, (select count(m) from ManifestEntity m where m.repositoryId = r.id) from RepositoryEntity r"
        + " where r.name like :namePattern escape '!' and (:everything = true or r.project in :projects)"
        + " order by r.name")
    List<Object[]> search(String namePattern, boolean everything, Collection<String> projects, Pageable pageable);

    /**
     * The digests a project's repositories hold, each once per project: the blobs linked to them and the
     * manifests' own bytes; of every project when {@code everything}, else of {@code projects}.
     */
    String PROJECT_DIGESTS = "SELECT r.project AS project, l.digest AS digest FROM repository_blob l "
        + "JOIN repository r ON r.id = l.repository_id WHERE (:everything = TRUE OR r.project IN (:projects)) "
        + "UNION SELECT r.project, m.digest FROM manifest m "
        + "JOIN repository r ON r.id = m.repository_id WHERE (:everything = TRUE OR r.project IN (:projects))";

    /** Rows of a project and the bytes it holds ({@link #PROJECT_DIGESTS}), the largest first, then by name. */
    @Query(value = "SELECT d.project, SUM(b.size) AS bytes FROM (" + PROJECT_DIGESTS + ") d JOIN blob b ON b.digest = d.digest "
        + "GROUP BY d.project ORDER BY bytes DESC, d.project LIMIT :limit", nativeQuery = true)
    List<Object[]> storageByProject(boolean everything, Collection<String> projects, int limit);

    /** The bytes the projects hold together ({@link #PROJECT_DIGESTS}), each digest counted once. */
    @Query(value = "SELECT COALESCE(SUM(b.size), 0) FROM blob b WHERE b.digest IN (SELECT d.digest FROM (" + PROJECT_DIGESTS + ") d)",
        nativeQuery = true)
    long storage(boolean everything, Collection<String> projects);
}
