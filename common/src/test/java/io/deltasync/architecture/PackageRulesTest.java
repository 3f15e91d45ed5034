package io.deltasync.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages show the design, in the style of Delta Kernel's api/defaults split: the domain
 * packages hold the sync model and its decisions and see no engine; the engines ({@code spark},
 * {@code databricks}, {@code local}) implement the domain's interfaces; {@code runtime} is the one
 * place that wires an engine to the domain for production.
 */
class PackageRulesTest {

  private static final String[] DOMAIN = {
      "io.deltasync.config..", "io.deltasync.errors..", "io.deltasync.table..",
      "io.deltasync.ledger..", "io.deltasync.runs..", "io.deltasync.clone..",
      "io.deltasync.sync..", "io.deltasync.jobs..", "io.deltasync.failover..",
      "io.deltasync.status..", "io.deltasync.verify..", "io.deltasync.notify..",
      "io.deltasync.secrets..", "io.deltasync.faults..", "io.deltasync.preflight..",
      "io.deltasync.drill.."};

  private static final String[] ENGINE_LIBRARIES = {
      "org.apache.spark..", "org.apache.hadoop..", "io.delta..", "scala..", "com.databricks.."};

  private static final String[] ENGINES = {
      "io.deltasync.spark..", "io.deltasync.databricks..", "io.deltasync.local..",
      "io.deltasync.runtime.."};

  private static final JavaClasses PRODUCTION = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.deltasync");

  @Test
  void theDomainSeesNoSparkHadoopDeltaOrDatabricksSdk() {
    noClasses().that().resideInAnyPackage(DOMAIN)
        .should().dependOnClassesThat().resideInAnyPackage(ENGINE_LIBRARIES)
        .because("engines live in spark/, databricks/ and local/, wired in runtime/")
        .check(PRODUCTION);
  }

  @Test
  void theDomainDoesNotReachIntoTheEnginesOrTheirWiring() {
    noClasses().that().resideInAnyPackage(DOMAIN)
        .should().dependOnClassesThat().resideInAnyPackage(ENGINES)
        .because("the domain defines interfaces (TableCloner, SyncLedger, RunSource, JobsControl);"
            + " runtime/ chooses their implementations")
        .check(PRODUCTION);
  }

  @Test
  void theCommandsReachTheEnginesOnlyThroughTheirWiring() {
    noClasses().that().resideInAnyPackage("io.deltasync.cli..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.deltasync.spark..", "io.deltasync.databricks..", "io.deltasync.local..")
        .because("runtime/ is the one place that wires production; the commands stay thin")
        .check(PRODUCTION);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.deltasync.(*)..").should().beFreeOfCycles().check(PRODUCTION);
  }
}
