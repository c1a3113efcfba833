package io.wharf.core.registry.metadata;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

interface RepositoryRepository extends JpaRepository<RepositoryEntity, Long> {

    Optional<RepositoryEntity> findByName(String name);

    @Modifying
    @Transactional
    @Query(value = "INSERT INTO repository (name, created_at) VALUES (:name, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING",
        nativeQuery = true)
    int insertIfAbsent(String name);

    /** Keyset page of names; ordered by code point through the column's collation (see the migrations). */
    @Query(value = "SELECT name FROM repository WHERE name > :after ORDER BY name LIMIT :limit", nativeQuery = true)
    List<String> findNamesAfter(String after, int limit);

    /** Repositories named {@code project} or starting with {@code prefix}, a LIKE pattern with {@code !} as escape. */
    @Query("select count(r) from RepositoryEntity r where r.name = :project or r.name like :prefix escape '!'")
    long countInProject(String project, String prefix);

    /** The project part of a repository name: what comes before the first {@code /}, or the whole name. */
    String PROJECT_OF_NAME = "(case when locate('/', r.name) > 0 then substring(r.name, 1, locate('/', r.name) - 1) else r.name end)";

    /** The number of repositories whose project (first name segment) is one of {@code projects}. */
    @Query("select count(r) from RepositoryEntity r where " + PROJECT_OF_NAME + " in :projects")
    long countInProjects(Collection<String> projects);

    /**
     * Repositories whose name matches the LIKE {@code namePattern} (escaped with {@code !}), in any
     * project when {@code everything}, else in one of {@code projects}, by name: each as its name and
     * its number of manifests.
     */
    @Query("select r.name, (select count(m) from ManifestEntity m where m.repositoryId = r.id) from RepositoryEntity r"
        + " where r.name like :namePattern escape '!' and (:everything = true or " + PROJECT_OF_NAME + " in :projects)"
        + " order by r.name")
    List<Object[]> search(String namePattern, boolean everything, Collection<String> projects, Pageable pageable);
}
