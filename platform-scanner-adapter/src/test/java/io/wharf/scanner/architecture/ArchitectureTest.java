package io.wharf.scanner.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The scanner adapter is a feature module: it depends on core only (never on replication), knows
 * nothing of the web layers that expose it, and its protocol client knows nothing of registrations
 * as stored.
 */
class ArchitectureTest {

    private static final JavaClasses SCANNER = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.scanner");

    @Test
    void dependsOnCoreOnly() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.api..", "io.wharf.web..", "io.wharf.replication..")
            .check(SCANNER);
    }

    @Test
    void knowsNothingOfTheWeb() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.springframework.web..", "jakarta.servlet..", "org.thymeleaf..", "org.apache.catalina..")
            .check(SCANNER);
    }

    @Test
    void usesCoreThroughItsServicesNotItsStores() {
        noClasses().should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.wharf.core..")
                .and(JavaClass.Predicates.simpleNameEndingWith("Store")
                    .or(JavaClass.Predicates.simpleNameEndingWith("Repository"))
                    .or(JavaClass.Predicates.simpleNameEndingWith("Entity"))))
            .check(SCANNER);
    }

    @Test
    void theAdapterClientKnowsNothingOfRegistrationsOrPersistence() {
        noClasses().that().resideInAPackage("io.wharf.scanner.client..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.scanner.registration..", "jakarta.persistence..", "org.springframework.data..")
            .check(SCANNER);
    }

    @Test
    void reportsKnowNothingOfTheQueue() {
        noClasses().that().resideInAPackage("io.wharf.scanner.report..")
            .should().dependOnClassesThat().resideInAnyPackage("io.wharf.scanner.trigger..")
            .check(SCANNER);
    }
}
