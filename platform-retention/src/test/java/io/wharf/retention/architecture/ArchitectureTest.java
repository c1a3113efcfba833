package io.wharf.retention.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Retention is a feature module: it depends on core only, knows nothing of the web layers that expose
 * it, uses core through its services (deleting through the registry's use case), and its policies know
 * nothing of their runs.
 */
class ArchitectureTest {

    private static final JavaClasses RETENTION = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.retention");

    @Test
    void dependsOnCoreOnly() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.api..", "io.wharf.web..", "io.wharf.replication..", "io.wharf.scanner..", "io.wharf.webhook..")
            .check(RETENTION);
    }

    @Test
    void knowsNothingOfTheWeb() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.springframework.web..", "jakarta.servlet..", "org.thymeleaf..", "org.apache.catalina..")
            .check(RETENTION);
    }

    @Test
    void usesCoreThroughItsServicesNotItsStores() {
        noClasses().should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.wharf.core..")
                .and(JavaClass.Predicates.simpleNameEndingWith("Store")
                    .or(JavaClass.Predicates.simpleNameEndingWith("Repository"))
                    .or(JavaClass.Predicates.simpleNameEndingWith("Entity"))))
            .check(RETENTION);
    }

    @Test
    void policiesKnowNothingOfTheirRuns() {
        noClasses().that().resideInAPackage("io.wharf.retention.policy..")
            .should().dependOnClassesThat().resideInAnyPackage("io.wharf.retention.execution..", "io.wharf.retention.schedule..")
            .check(RETENTION);
    }
}
