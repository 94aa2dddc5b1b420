package de.vorzimmer.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The house rules of the packages (docs/architecture.md): features below, adapters above, one composition root on
 * top, and every arrow pointing one way. Fails on a package cycle or a dependency in the wrong direction.
 */
@AnalyzeClasses(packages = "de.vorzimmer", importOptions = {ImportOption.DoNotIncludeTests.class,
        PackageLayeringTest.ProductionClassesOnly.class})
class PackageLayeringTest {
    /** Also leaves out test classes compiled to another folder ({@code -Dvz.build.dir}), which ArchUnit's own option misses. */
    static final class ProductionClassesOnly implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("/test-classes/") && !location.contains("/bench-classes/");
        }
    }

    private static final String[] ADAPTERS = {"de.vorzimmer.asterisk..", "de.vorzimmer.twilio..", "de.vorzimmer.console.."};
    private static final String[] TOP = {"de.vorzimmer.server..", "de.vorzimmer.cli.."};

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("de.vorzimmer.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule storeIsInfrastructureOnly = noClasses().that().resideInAPackage("de.vorzimmer.store..")
            .should().dependOnClassesThat().resideInAnyPackage("de.vorzimmer.book..", "de.vorzimmer.status..",
                    "de.vorzimmer.routing..", "de.vorzimmer.calls..", "de.vorzimmer.messages..", "de.vorzimmer.notify..",
                    "de.vorzimmer.phonein..", "de.vorzimmer.calendar..", "de.vorzimmer.asterisk..", "de.vorzimmer.twilio..", "de.vorzimmer.console..",
                    "de.vorzimmer.config..", "de.vorzimmer.http..", "de.vorzimmer.server..", "de.vorzimmer.cli..",
                    "de.vorzimmer.escalation..", "de.vorzimmer.mail..");

    /** The routing core is pure: the book, the status and the JDK; no store, no framework. */
    @ArchTest
    static final ArchRule routingDependsOnBookAndStatusOnly = classes().that().resideInAPackage("de.vorzimmer.routing..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("de.vorzimmer.routing..", "de.vorzimmer.book..",
                    "de.vorzimmer.status..", "java..");

    @ArchTest
    static final ArchRule featuresDoNotKnowTheAdapters = noClasses().that().resideInAnyPackage("de.vorzimmer.book..",
                    "de.vorzimmer.status..", "de.vorzimmer.routing..", "de.vorzimmer.calls..", "de.vorzimmer.messages..",
                    "de.vorzimmer.notify..", "de.vorzimmer.phonein..", "de.vorzimmer.calendar..", "de.vorzimmer.store..",
                    "de.vorzimmer.http..", "de.vorzimmer.escalation..", "de.vorzimmer.mail..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(ADAPTERS, TOP, "de.vorzimmer.config.."));

    @ArchTest
    static final ArchRule asteriskKnowsNoOtherAdapter = adapterAlone("de.vorzimmer.asterisk..");

    @ArchTest
    static final ArchRule twilioKnowsNoOtherAdapter = adapterAlone("de.vorzimmer.twilio..");

    @ArchTest
    static final ArchRule consoleKnowsNoOtherAdapter = adapterAlone("de.vorzimmer.console..");

    /** Only the command line starts the server; nothing depends on the command line. */
    @ArchTest
    static final ArchRule onlyTheCommandLineStartsTheServer = noClasses().that()
            .resideOutsideOfPackages("de.vorzimmer.server..", "de.vorzimmer.cli..")
            .should().dependOnClassesThat().resideInAnyPackage(TOP);

    @ArchTest
    static final ArchRule nothingDependsOnTheCommandLine = noClasses().that().resideOutsideOfPackage("de.vorzimmer.cli..")
            .should().dependOnClassesThat().resideInAPackage("de.vorzimmer.cli..");

    private static ArchRule adapterAlone(String adapter) {
        String[] others = java.util.Arrays.stream(ADAPTERS).filter(a -> !a.equals(adapter)).toArray(String[]::new);
        return noClasses().that().resideInAPackage(adapter).should().dependOnClassesThat()
                .resideInAnyPackage(concat(others, TOP, "de.vorzimmer.config.."));
    }

    private static String[] concat(String[] a, String[] b, String c) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length + 1);
        System.arraycopy(b, 0, out, a.length, b.length);
        out[out.length - 1] = c;
        return out;
    }
}
