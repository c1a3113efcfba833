package io.wharf.core.iam;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface SigningKeyRepository extends JpaRepository<SigningKeyEntity, Integer> {

    /** Stores the key unless another node stored one first. */
    @Modifying
    @Transactional
    @Query(value = "INSERT INTO signing_key (id, kid, algorithm, private_key, public_key, created_at) "
        + "VALUES (1, :kid, 'RS256', :privateKey, :publicKey, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING", nativeQuery = true)
    int insertIfAbsent(String kid, String privateKey, String publicKey);
}
