package io.wharf.api.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The API layer translates HTTP to core use cases: it never reaches storage drivers or JPA itself. */
class ArchitectureTest {

    private static final JavaClasses API = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.api");

    @Test
    void controllersDoNotReachDriversOrPersistence() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.core.storage.driver..", "jakarta.persistence..", "org.springframework.data.jpa..")
            .check(API);
    }

    @Test
    void apiUsesNoStorageEntities() {
        noClasses().should().dependOnClassesThat().areAnnotatedWith("jakarta.persistence.Entity")
            .check(API);
    }

    @Test
    void apiDependsOnNoModuleAboveIt() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.wharf.web..")
            .check(API);
    }
}
