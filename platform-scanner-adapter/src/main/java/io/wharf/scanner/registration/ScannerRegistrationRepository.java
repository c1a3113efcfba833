package io.wharf.scanner.registration;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

interface ScannerRegistrationRepository extends JpaRepository<ScannerRegistrationEntity, Long> {

    Optional<ScannerRegistrationEntity> findByUuid(String uuid);

    Optional<ScannerRegistrationEntity> findByName(String name);

    Optional<ScannerRegistrationEntity> findByIsDefaultTrue();

    /** Registrations matching Harbor's {@code q} on {@code name} and {@code url} ({@link io.wharf.core.TextMatch}). */
    @Query("SELECT r FROM ScannerRegistrationEntity r WHERE r.name LIKE :namePattern ESCAPE '!'"
        + " AND (:anyName = true OR r.name IN :names)"
        + " AND r.url LIKE :urlPattern ESCAPE '!' AND (:anyUrl = true OR r.url IN :urls)")
    Page<ScannerRegistrationEntity> search(String namePattern, boolean anyName, List<String> names,
                                           String urlPattern, boolean anyUrl, List<String> urls, Pageable pageable);

    /** Clears the default flag of every registration. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("UPDATE ScannerRegistrationEntity r SET r.isDefault = NULL WHERE r.isDefault = true")
    int clearDefault();

    /** Makes registration {@code id} the default; call {@link #clearDefault()} first in the same transaction. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("UPDATE ScannerRegistrationEntity r SET r.isDefault = true WHERE r.id = :id")
    int markDefault(long id);
}
