package io.wharf.replication.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Replication is a feature module: it depends on core only, talks to the rest through core's use
 * cases and events, and knows nothing of the web layers that expose it.
 */
class ArchitectureTest {

    private static final JavaClasses REPLICATION = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.replication");

    @Test
    void dependsOnCoreOnly() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.api..", "io.wharf.web..", "io.wharf.scanner..")
            .check(REPLICATION);
    }

    @Test
    void knowsNothingOfTheWeb() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.springframework.web..", "jakarta.servlet..", "org.thymeleaf..", "org.apache.catalina..")
            .check(REPLICATION);
    }

    @Test
    void usesCoreThroughItsServicesNotItsStores() {
        noClasses().should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage(
                    "io.wharf.core.registry.metadata..", "io.wharf.core.storage..")
                .and(JavaClass.Predicates.simpleNameEndingWith("Store")
                    .or(JavaClass.Predicates.simpleNameEndingWith("Repository"))
                    .or(JavaClass.Predicates.simpleNameEndingWith("Entity"))))
            .check(REPLICATION);
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.wharf.core.storage.driver..")
            .check(REPLICATION);
    }

    @Test
    void theUpstreamClientKnowsNothingOfPoliciesOrPersistence() {
        noClasses().that().resideInAPackage("io.wharf.replication.upstream..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.replication.policy..", "io.wharf.replication.execution..", "jakarta.persistence..")
            .check(REPLICATION);
    }
}
