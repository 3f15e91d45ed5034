package io.deltasync.runtime;

import io.deltasync.databricks.DbutilsSecretProvider;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.spark.Sparks;

/** The secret provider of the runtime deltasync runs in. */
public final class SecretProviders {

  private SecretProviders() {}

  /** dbutils secrets on a Databricks cluster; the environment everywhere else. */
  public static SecretProvider forRuntime() {
    return Sparks.onDatabricks() ? new DbutilsSecretProvider() : new EnvSecretProvider();
  }
}
