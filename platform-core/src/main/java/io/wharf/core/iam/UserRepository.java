package io.wharf.core.iam;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

import java.util.Optional;

interface UserRepository extends JpaRepository<UserEntity, Long>, JpaSpecificationExecutor<UserEntity> {

    Optional<UserEntity> findByUsername(String username);

    /** The account's id and version ({@code @Version}), when it exists. */
    @org.springframework.data.jpa.repository.Query(
        "select new io.wharf.core.iam.AccountStamp(u.id, u.version) from UserEntity u where u.username = :username")
    Optional<AccountStamp> findStamp(String username);
}
