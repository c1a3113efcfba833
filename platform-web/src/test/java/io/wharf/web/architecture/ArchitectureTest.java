package io.wharf.web.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web module is the outermost adapter: it assembles the application and (later) the console,
 * speaking to core through its services only. It never reaches core's internals (blob storage and
 * its drivers, registry metadata, JPA entities and Spring Data repositories), and nothing below it
 * depends on it. Core wires its own internals ({@code CoreConfiguration}), so web needs none of them.
 */
class ArchitectureTest {

    private static final JavaClasses WEB = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.web");

    /** Every main class of every module on the classpath: core and api come from their jars or target/classes. */
    private static final JavaClasses ALL = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf");

    @Test
    void webDoesNotReachIntoStorageOrRegistryMetadata() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.core.storage..", "io.wharf.core.registry.metadata..")
            .because("blob storage, its drivers and registry metadata are core's internals; use core's services")
            .check(WEB);
    }

    @Test
    void webUsesNoPersistence() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "org.springframework.data.jpa..")
            .orShould().dependOnClassesThat().areAnnotatedWith("jakarta.persistence.Entity")
            .orShould().dependOnClassesThat().areAssignableTo("org.springframework.data.repository.Repository")
            .because("entities and repositories stay behind core's services")
            .check(WEB);
    }

    @Test
    void nothingBelowDependsOnWeb() {
        // the rule only means something if the modules below were imported
        assertThat(ALL.containPackage("io.wharf.core.iam") && ALL.containPackage("io.wharf.api.v2"))
            .as("core and api classes imported").isTrue();
        noClasses().that().resideInAnyPackage("io.wharf.core..", "io.wharf.api..")
            .should().dependOnClassesThat().resideInAPackage("io.wharf.web..")
            .because("dependencies point down: web -> api -> core")
            .check(ALL);
    }
}
