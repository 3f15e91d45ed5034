package io.deltasync.databricks;

import java.util.HashMap;
import java.util.Map;

/**
 * The shape of {@code com.databricks.dbutils_v1.DBUtilsHolder} for tests: a static
 * {@code dbutils()} whose {@code secrets().get(scope, key)} reads {@link #SECRETS}. The
 * implementation classes are private, as Scala's are not public either.
 */
public final class FakeDbutils {

  static final Map<String, String> SECRETS = new HashMap<>();

  private FakeDbutils() {}

  public static Object dbutils() {
    return new Utils();
  }

  private static final class Utils {
    public Object secrets() {
      return new Secrets();
    }
  }

  private static final class Secrets {
    public String get(String scope, String key) {
      String value = SECRETS.get(scope + "/" + key);
      if (value == null) {
        throw new IllegalArgumentException(
            "Secret does not exist with scope: " + scope + " and key: " + key);
      }
      return value;
    }
  }
}
