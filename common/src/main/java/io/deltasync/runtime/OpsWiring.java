package io.deltasync.runtime;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.notify.Notifications;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.spark.HadoopLagAlertStore;
import io.deltasync.spark.SparkFingerprinter;
import io.deltasync.spark.Sparks;
import io.deltasync.status.LagAlerts;
import io.deltasync.status.Status;
import io.deltasync.verify.Verify;
import java.time.Clock;

/**
 * The production wiring of the read-side commands: status (the ledger, the primary's runs through
 * its Jobs API or run log), lag alerts (their state as a file next to the ledger, the configured
 * notifications) and verify (Spark fingerprints of the tables).
 */
public final class OpsWiring {

  private OpsWiring() {}

  /** Status over the runtime's ledgers and each workspace's primary runs. */
  public static Status status(SecretProvider secrets) {
    return new Status(SyncWiring.ledgers(Sparks.session()),
        ws -> PrimaryRuns.forWorkspace(ws, secrets), Clock.systemUTC());
  }

  /** Lag alerts through the config's notification channels. */
  public static LagAlerts lagAlerts(DeltaSyncConfig config, SecretProvider secrets) {
    return new LagAlerts(
        new HadoopLagAlertStore(Sparks.session().sparkContext().hadoopConfiguration()),
        Notifications.byWorkspace(config, secrets));
  }

  /** Verify over the runtime's ledgers, fingerprinting tables with Spark. */
  public static Verify verify() {
    return new Verify(SyncWiring.ledgers(Sparks.session()),
        new SparkFingerprinter(Sparks.session()));
  }
}
