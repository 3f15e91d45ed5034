package io.deltasync.errors;

import io.deltasync.errors.SyncException.Kind;

/**
 * Every user-facing error deltasync raises, in one place (as Delta Kernel's {@code DeltaErrors}).
 * Each message names the values involved (key, table, version, path), says why, and says what to
 * do. Secrets are never passed in.
 *
 * <p>Sections follow the packages; add a factory method to the section of the code that raises it.
 */
public final class SyncErrors {

  private SyncErrors() {}

  // ---------------------------------------------------------------------------------------------
  // Sample workflows (module samples)

  public static SyncException landingFolderMissing(String landingDir) {
    return new SyncException(Kind.FATAL,
        "Landing folder " + landingDir + " does not exist: create it and drop the batch files"
            + " (batch_0001.csv, ...) there, or pass the right folder with --landing");
  }

  public static SyncException sampleTableRoleMissing(String workflow, String role, Object tables) {
    return usage("Sync group of workflow " + workflow + " has no table, or more than one, whose name ends"
        + " with \"" + role + "\" (tables: " + tables + "): list exactly one " + role + " table in the"
        + " group's tables");
  }

  public static SyncException sampleWorkflowUnknown(String workflow) {
    return usage("No sample workflow is named " + workflow
        + ": use sample_workflow_1 or sample_workflow_2");
  }

  public static SyncException sampleOptionOutOfRange(String option, long value, String allowed) {
    return usage("Option " + option + " is " + value + ", which is out of range: use " + allowed);
  }

  /** The test hook of a sample workflow stopped the run on purpose (a drill's killed run). */
  public static SyncException sampleRunStoppedOnPurpose(String workflow, int commit, int of) {
    return new SyncException(Kind.FATAL,
        "Workflow " + workflow + " stopped on purpose after silver commit " + commit + " of " + of
            + " (--fail-after-silver-commit " + commit + "): the run is left half done; run it"
            + " again without the option to complete it");
  }

  // ---------------------------------------------------------------------------------------------
  // Usage and config

  public static SyncException usage(String message) {
    return new SyncException(Kind.USAGE, message);
  }

  public static SyncException invalidConfig(String source, java.util.List<String> problems) {
    StringBuilder text = new StringBuilder();
    text.append("Config ").append(source).append(" has ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems").append(':');
    for (String problem : problems) {
      text.append(System.lineSeparator()).append("  ").append(problem);
    }
    return new SyncException(Kind.USAGE, text.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Tables and cloning


  // ---------------------------------------------------------------------------------------------
  // Workflow runs, Jobs API and secrets


  // ---------------------------------------------------------------------------------------------
  // Ledger, sender and receiver


  // ---------------------------------------------------------------------------------------------
  // Failover and failback


  // ---------------------------------------------------------------------------------------------
  // Notifications

}
