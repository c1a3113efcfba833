package io.wharf.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test kit serves every module, core included, so it may depend on none of them (core's tests
 * could not use it otherwise), and it speaks to Wharf only as clients do: over HTTP.
 */
class ArchitectureTest {

    private static final JavaClasses KIT = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.testkit");

    @Test
    void dependsOnNoWharfModule() {
        assertTrue(KIT.size() > 5, "the kit's classes were imported");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.wharf.core..", "io.wharf.api..", "io.wharf.web..")
            .check(KIT);
    }

    @Test
    void knowsNothingOfSpring() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..")
            .check(KIT);
    }
}
