package io.wharf.core.iam;

import org.springframework.data.jpa.repository.JpaRepository;

interface LoginAttemptRepository extends JpaRepository<LoginAttemptEntity, String> {
}
