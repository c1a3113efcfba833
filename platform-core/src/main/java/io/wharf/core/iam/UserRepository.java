package io.wharf.core.iam;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

interface UserRepository extends JpaRepository<UserEntity, Long> {

    Optional<UserEntity> findByUsername(String username);

    Page<UserEntity> findByUsernameContainingOrderByUsername(String fragment, Pageable pageable);

    /** The account's id and version ({@code @Version}), when it exists. */
    @org.springframework.data.jpa.repository.Query(
        "select new io.wharf.core.iam.AccountStamp(u.id, u.version) from UserEntity u where u.username = :username")
    Optional<AccountStamp> findStamp(String username);
}
