package io.deltasync.secrets;

import io.deltasync.config.SecretRef;
import io.deltasync.errors.SyncErrors;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Secrets for local runs: the value of {@code scope/key} is the environment variable
 * {@code DELTASYNC_SECRET_<SCOPE>_<KEY>}, upper-cased, with every character other than A-Z and
 * 0-9 turned into {@code _} (scope {@code dr-test-scope}, key {@code dr-pat-key} is
 * {@code DELTASYNC_SECRET_DR_TEST_SCOPE_DR_PAT_KEY}). A blank value counts as missing.
 */
public final class EnvSecretProvider implements SecretProvider {

  static final String PREFIX = "DELTASYNC_SECRET_";

  private final Map<String, String> env;

  /** Reads the process environment. */
  public EnvSecretProvider() {
    this(System.getenv());
  }

  /** Reads the given variables (tests pass a map instead of the process environment). */
  public EnvSecretProvider(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  /** The environment variable holding {@code ref}. */
  public static String variableName(SecretRef ref) {
    return PREFIX + sanitize(ref.scope()) + "_" + sanitize(ref.key());
  }

  private static String sanitize(String part) {
    String upper = part.toUpperCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(upper.length());
    for (int i = 0; i < upper.length(); i++) {
      char c = upper.charAt(i);
      out.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
    }
    return out.toString();
  }

  @Override
  public String secret(SecretRef ref) {
    String variable = variableName(ref);
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      throw SyncErrors.secretNotInEnvironment(ref.scope(), ref.key(), variable);
    }
    return value;
  }

  @Override
  public String toString() {
    return "EnvSecretProvider(" + PREFIX + "<SCOPE>_<KEY>)";
  }
}
