package io.wharf.core.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Core is the bottom layer: no web, servlet or console types, and no dependency on the modules above it. */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.core");

    @Test
    void coreKnowsNothingOfTheWeb() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.springframework.web..", "jakarta.servlet..", "org.thymeleaf..", "org.apache.catalina..")
            .check(CORE);
    }

    @Test
    void coreDependsOnNoOtherModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.api..", "io.wharf.web..", "io.wharf.replication..", "io.wharf.scanner..",
                "io.wharf.webhook..", "io.wharf.retention..")
            .check(CORE);
    }

    @Test
    void storageDriversKnowNothingOfTheRegistry() {
        noClasses().that().resideInAPackage("io.wharf.core.storage.driver..")
            .should().dependOnClassesThat().resideInAnyPackage("io.wharf.core.registry.digest..",
                "io.wharf.core.registry.manifest..", "jakarta.persistence..")
            .check(CORE);
    }

    @Test
    void blobStorageKnowsNothingOfRegistryMetadata() {
        noClasses().that().resideInAPackage("io.wharf.core.storage..")
            .should().dependOnClassesThat().resideInAnyPackage("io.wharf.core.registry.metadata..",
                "io.wharf.core.registry.manifest..", "io.wharf.core.iam..")
            .check(CORE);
    }

    @Test
    void onlyStoresTouchTheirJpaRepositoriesAndEntities() {
        for (String pkg : new String[] {"io.wharf.core.storage", "io.wharf.core.registry.metadata"}) {
            noClasses().that().resideOutsideOfPackage(pkg)
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage(pkg)
                    .and(JavaClass.Predicates.simpleNameEndingWith("Repository")
                        .or(JavaClass.Predicates.simpleNameEndingWith("Entity"))))
                .check(CORE);
        }
    }

    @Test
    void identityDoesNotReachIntoRegistryStorage() {
        noClasses().that().resideInAPackage("io.wharf.core.iam..")
            .should().dependOnClassesThat().resideInAnyPackage("io.wharf.core.registry.metadata..", "io.wharf.core.storage..")
            .check(CORE);
    }
}
