package io.deltasync.runtime;

import io.deltasync.config.WorkspaceConfig;
import io.deltasync.databricks.SdkWorkspaceJobs;
import io.deltasync.databricks.WorkspaceClients;
import io.deltasync.jobs.JobNames;
import io.deltasync.ledger.Region;
import io.deltasync.preflight.Preflight;
import io.deltasync.preflight.WorkspaceJobs;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.spark.HadoopStorageProbe;
import io.deltasync.spark.SparkRegionTables;
import io.deltasync.spark.Sparks;

/**
 * The production parts of {@code deltasync preflight}: the running region's secrets, Spark session
 * and Hadoop file system, and each workspace's Jobs API through the SDK with that workspace's own
 * credentials ({@link WorkspaceClients#primary}, {@link WorkspaceClients#secondary}), also in
 * embedded mode, where each local workspace serves its region's Jobs API.
 */
public final class PreflightWiring {

  private PreflightWiring() {}

  public static Preflight forRuntime() {
    return with(SecretProviders.forRuntime());
  }

  /** As {@link #forRuntime()}, with these secrets (tests, and the launcher's environment). */
  public static Preflight with(SecretProvider secrets) {
    return new Preflight(secrets,
        (ws, region) -> jobs(ws, region, secrets),
        new SparkRegionTables(Sparks.session()),
        new HadoopStorageProbe(Sparks.session().sparkContext().hadoopConfiguration()),
        JobNames.defaults());
  }

  private static WorkspaceJobs jobs(WorkspaceConfig ws, Region region, SecretProvider secrets) {
    if (region == Region.PRIMARY) {
      return new SdkWorkspaceJobs(ws.name() + " primary " + ws.url(),
          () -> WorkspaceClients.primary(ws, secrets));
    }
    return new SdkWorkspaceJobs(ws.name() + " secondary "
        + ws.secondaryUrl().map(Object::toString).orElse("(no URL)"),
        () -> WorkspaceClients.secondary(ws, secrets, "preflight"));
  }
}
