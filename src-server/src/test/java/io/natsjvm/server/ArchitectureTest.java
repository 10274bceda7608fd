package io.natsjvm.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure, checked on the compiled classes. Layers from the bottom: protocol (wire
 * format) <- delivery (subject index, message delivery) <- auth <- config; account <- client <-
 * monitor <- events <- the server package, which wires them; cli on top. Connections and
 * monitoring see the server only through {@code client.ConnectionContext} and
 * {@code monitor.ServerView}.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.natsjvm");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.natsjvm.server.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theResolverDoesNotDependOnTheServer() {
        noClasses().that().resideInAPackage("io.natsjvm.resolver..").should().dependOnClassesThat()
                .resideInAPackage("io.natsjvm.server..").check(classes);
    }

    @Test
    void protocolDependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage("io.natsjvm.server.protocol..").should().dependOnClassesThat()
                .resideInAnyPackage("io.natsjvm.server", "io.natsjvm.server.client..", "io.natsjvm.server.delivery..",
                        "io.natsjvm.server.account..", "io.natsjvm.server.auth..", "io.natsjvm.server.config..",
                        "io.natsjvm.server.events..", "io.natsjvm.server.monitor..", "io.natsjvm.server.cli..")
                .check(classes);
    }

    @Test
    void connectionsAndMonitoringDoNotSeeTheServerClass() {
        noClasses().that().resideInAnyPackage("io.natsjvm.server.client..", "io.natsjvm.server.monitor..",
                "io.natsjvm.server.events..", "io.natsjvm.server.account..", "io.natsjvm.server.delivery..")
                .should().dependOnClassesThat().resideInAPackage("io.natsjvm.server").check(classes);
    }
}
