package io.deltasync.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.config.SecretRef;
import io.deltasync.errors.SyncException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSecretProviderTest {

  static final SecretRef PAT = new SecretRef("dr-test-scope", "dr-pat-key");

  @Test
  void variableNameIsUpperCasedWithEveryOtherCharacterAnUnderscore() {
    assertThat(EnvSecretProvider.variableName(PAT)).isEqualTo("DELTASYNC_SECRET_DR_TEST_SCOPE_DR_PAT_KEY");
    assertThat(EnvSecretProvider.variableName(new SecretRef("my.scope/2", "clé é@x")))
        .isEqualTo("DELTASYNC_SECRET_MY_SCOPE_2_CL____X");
  }

  @Test
  void readsTheVariable() {
    var provider = new EnvSecretProvider(Map.of("DELTASYNC_SECRET_DR_TEST_SCOPE_DR_PAT_KEY", "dapi-123"));
    assertThat(provider.secret(PAT)).isEqualTo("dapi-123");
  }

  @Test
  void missingOrBlankSecretNamesScopeKeyAndVariable() {
    var provider = new EnvSecretProvider(Map.of(
        "DELTASYNC_SECRET_DR_TEST_SCOPE_OTHER", "dapi-other",
        "DELTASYNC_SECRET_DR_TEST_SCOPE_BLANK", "  "));
    String expected = "Secret dr-pat-key of scope dr-test-scope is not set: locally deltasync"
        + " reads it from the environment variable DELTASYNC_SECRET_DR_TEST_SCOPE_DR_PAT_KEY;"
        + " export DELTASYNC_SECRET_DR_TEST_SCOPE_DR_PAT_KEY (or run on Databricks, where it is"
        + " read from the secret scope)";
    assertThatThrownBy(() -> provider.secret(PAT))
        .isInstanceOf(SyncException.class)
        .hasMessage(expected)
        .satisfies(e -> assertThat(((SyncException) e).kind()).isEqualTo(SyncException.Kind.USAGE));
    assertThatThrownBy(() -> provider.secret(new SecretRef("dr-test-scope", "blank")))
        .hasMessageContaining("environment variable DELTASYNC_SECRET_DR_TEST_SCOPE_BLANK;")
        .hasMessageNotContaining("dapi");
    assertThat(provider.toString()).doesNotContain("dapi");
  }
}
