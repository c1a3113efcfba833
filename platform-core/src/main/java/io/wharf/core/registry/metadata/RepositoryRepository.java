package io.wharf.core.registry.metadata;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

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
}
