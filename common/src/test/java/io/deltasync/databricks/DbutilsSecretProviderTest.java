package io.deltasync.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.config.SecretRef;
import io.deltasync.errors.SyncException;
import io.deltasync.runtime.SecretProviders;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.secrets.SecretProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DbutilsSecretProviderTest {

  final DbutilsSecretProvider provider = new DbutilsSecretProvider(FakeDbutils.class.getName());

  @AfterEach
  void clear() {
    FakeDbutils.SECRETS.clear();
  }

  @Test
  void readsThroughDbutilsByReflection() {
    FakeDbutils.SECRETS.put("dr-scope/dr-pat-key", "dapi-xyz");
    assertThat(provider.secret(new SecretRef("dr-scope", "dr-pat-key"))).isEqualTo("dapi-xyz");
  }

  @Test
  void missingSecretNamesScopeAndKey() {
    assertThatThrownBy(() -> provider.secret(new SecretRef("dr-scope", "missing")))
        .isInstanceOf(SyncException.class)
        .hasMessage("Secret missing of scope dr-scope could not be read through dbutils secrets:"
            + " IllegalArgumentException: Secret does not exist with scope: dr-scope and key:"
            + " missing; check that the scope and key exist (databricks secrets list-secrets"
            + " dr-scope) and that the job's principal has READ on the scope");
  }

  @Test
  void emptyValueIsAnError() {
    FakeDbutils.SECRETS.put("dr-scope/empty", "");
    assertThatThrownBy(() -> provider.secret(new SecretRef("dr-scope", "empty")))
        .hasMessageStartingWith("Secret empty of scope dr-scope could not be read through dbutils"
            + " secrets: dbutils returned an empty value;");
  }

  @Test
  void outsideDatabricksSaysWhatToDo() {
    SecretProvider real = new DbutilsSecretProvider();
    assertThatThrownBy(() -> real.secret(new SecretRef("s", "k")))
        .isInstanceOf(SyncException.class)
        .hasMessage("Databricks secrets are not available: com.databricks.dbutils_v1.DBUtilsHolder"
            + " is not on the class path (not a Databricks runtime?); run on a Databricks"
            + " cluster, or locally unset DATABRICKS_RUNTIME_VERSION and set the"
            + " DELTASYNC_SECRET_<SCOPE>_<KEY> environment variables");
  }

  @Test
  void runtimeProviderLocallyReadsTheEnvironment() {
    // This JVM is not a Databricks runtime (the test harness never sets DATABRICKS_RUNTIME_VERSION).
    assertThat(System.getenv("DATABRICKS_RUNTIME_VERSION")).isNull();
    assertThat(SecretProviders.forRuntime()).isInstanceOf(EnvSecretProvider.class);
  }
}
