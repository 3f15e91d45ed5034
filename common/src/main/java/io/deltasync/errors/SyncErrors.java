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

  public static SyncException jobNotFound(String workspace, String job) {
    return new SyncException(Kind.FATAL, "No job named '" + job + "' in workspace " + workspace
        + ": deploy it there (deltasync deploy) or fix the job name in the config.");
  }

  public static SyncException jobAmbiguous(String workspace, String job, java.util.List<String> ids) {
    return new SyncException(Kind.FATAL, ids.size() + " jobs are named '" + job + "' in workspace "
        + workspace + " (job ids " + String.join(", ", ids) + "): rename or delete all but one,"
        + " so that deltasync acts on the right one.");
  }

  public static SyncException jobsUnreachable(String workspace, String action, String job, String why) {
    return new SyncException(Kind.RETRYABLE, "Could not " + action + " job '" + job + "' in workspace "
        + workspace + ": the Jobs API did not answer (" + why + "). deltasync tries again;"
        + " check the workspace's status and network path.");
  }

  public static SyncException jobsRefused(
      String workspace, String action, String job, int status, String why) {
    return new SyncException(Kind.FATAL, "The Jobs API of workspace " + workspace + " refused to "
        + action + " job '" + job + "' (HTTP " + status + ": " + why + "). Give the service principal"
        + " CAN_MANAGE on the job, or check its token.");
  }

  public static SyncException jobStateUnreadable(String path, String why) {
    return new SyncException(Kind.FATAL, "The local schedule state " + path + " cannot be read ("
        + why + "): fix or delete the file (a missing file means the schedule is unpaused).");
  }

  public static SyncException jobStateUnwritable(String path, String why) {
    return new SyncException(Kind.RETRYABLE, "The local schedule state " + path
        + " cannot be written (" + why + "): check the folder's permissions and free space.");
  }


  // ---------------------------------------------------------------------------------------------
  // Notifications

}
