package io.deltasync.secrets;

import io.deltasync.spark.Sparks;

/** The secret provider of the runtime deltasync runs in. */
public final class SecretProviders {

  private SecretProviders() {}

  /** dbutils secrets on a Databricks cluster; the environment everywhere else. */
  public static SecretProvider forRuntime() {
    return Sparks.onDatabricks() ? new DbutilsSecretProvider() : new EnvSecretProvider();
  }
}
