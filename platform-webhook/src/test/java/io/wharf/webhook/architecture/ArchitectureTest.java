package io.wharf.webhook.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Webhooks are a feature module: they depend on core only (replication's end reaches them as core's
 * {@code ReplicationOutcome}), know nothing of the web layers that expose them, and policies know
 * nothing of deliveries.
 */
class ArchitectureTest {

    private static final JavaClasses WEBHOOK = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.wharf.webhook");

    @Test
    void dependsOnCoreOnly() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "io.wharf.api..", "io.wharf.web..", "io.wharf.replication..", "io.wharf.scanner..")
            .check(WEBHOOK);
    }

    @Test
    void knowsNothingOfTheWeb() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.springframework.web..", "jakarta.servlet..", "org.thymeleaf..", "org.apache.catalina..")
            .check(WEBHOOK);
    }

    @Test
    void usesCoreThroughItsServicesNotItsStores() {
        noClasses().should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.wharf.core..")
                .and(JavaClass.Predicates.simpleNameEndingWith("Store")
                    .or(JavaClass.Predicates.simpleNameEndingWith("Repository"))
                    .or(JavaClass.Predicates.simpleNameEndingWith("Entity"))))
            .check(WEBHOOK);
    }

    @Test
    void policiesKnowNothingOfDeliveries() {
        noClasses().that().resideInAPackage("io.wharf.webhook.policy..")
            .should().dependOnClassesThat().resideInAPackage("io.wharf.webhook.delivery..")
            .check(WEBHOOK);
    }
}
