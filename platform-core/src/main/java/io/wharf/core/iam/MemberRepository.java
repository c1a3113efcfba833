package io.wharf.core.iam;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

interface MemberRepository extends JpaRepository<MemberEntity, Long> {

    Optional<MemberEntity> findByProjectIdAndUserId(long projectId, long userId);

    List<MemberEntity> findByUserId(long userId);

    /** One page of the project's members whose username matches the LIKE {@code usernamePattern} (escaped with {@code !}), by username, then id. */
    @Query(value = """
        SELECT m FROM MemberEntity m, UserEntity u
        WHERE u.id = m.userId AND m.projectId = :projectId AND u.username LIKE :usernamePattern ESCAPE '!'
        ORDER BY u.username, m.id""",
        countQuery = """
        SELECT COUNT(m) FROM MemberEntity m, UserEntity u
        WHERE u.id = m.userId AND m.projectId = :projectId AND u.username LIKE :usernamePattern ESCAPE '!'""")
    Page<MemberEntity> findPage(long projectId, String usernamePattern, Pageable pageable);

    /** The number of the project's members per {@code role_id}, as rows of (role id, count). */
    @Query("SELECT m.roleId, COUNT(m) FROM MemberEntity m WHERE m.projectId = :projectId GROUP BY m.roleId")
    List<Object[]> countByRole(long projectId);
}
