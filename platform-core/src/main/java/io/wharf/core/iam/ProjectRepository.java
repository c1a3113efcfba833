package io.wharf.core.iam;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.Collection;
import java.util.Optional;

interface ProjectRepository extends JpaRepository<ProjectEntity, Long> {

    Optional<ProjectEntity> findByName(String name);

    /**
     * One page of the projects a caller sees, by name: every project when {@code everything}, else
     * the public ones, those {@code userId} is a member of, and those named in {@code granted}; then
     * narrowed to names matching the LIKE {@code namePattern} (escaped with {@code !}) and, unless
     * {@code anyName}, among {@code names} (a {@link io.wharf.core.TextMatch}), and, unless
     * {@code anyVisibility}, to {@code isPublic}.
     */
    @Query(value = """
        SELECT p FROM ProjectEntity p
        WHERE (:everything = true OR p.isPublic = true OR p.name IN :granted
               OR p.id IN (SELECT m.projectId FROM MemberEntity m WHERE m.userId = :userId))
          AND p.name LIKE :namePattern ESCAPE '!' AND (:anyName = true OR p.name IN :names)
          AND (:anyVisibility = true OR p.isPublic = :isPublic)
        ORDER BY p.name""",
        countQuery = """
        SELECT COUNT(p) FROM ProjectEntity p
        WHERE (:everything = true OR p.isPublic = true OR p.name IN :granted
               OR p.id IN (SELECT m.projectId FROM MemberEntity m WHERE m.userId = :userId))
          AND p.name LIKE :namePattern ESCAPE '!' AND (:anyName = true OR p.name IN :names)
          AND (:anyVisibility = true OR p.isPublic = :isPublic)""")
    Page<ProjectEntity> findVisible(boolean everything, long userId, Collection<String> granted, String namePattern,
                                    boolean anyName, Collection<String> names, boolean anyVisibility, boolean isPublic,
                                    Pageable pageable);
}
