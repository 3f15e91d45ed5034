package io.deltasync.databricks;

import io.deltasync.config.SecretRef;
import io.deltasync.errors.SyncErrors;
import io.deltasync.secrets.SecretProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Objects;

/**
 * Secrets on Databricks, read through {@code dbutils.secrets.get(scope, key)}. The dbutils API is
 * reached by reflection on {@code com.databricks.dbutils_v1.DBUtilsHolder}, which the Databricks
 * runtime provides, so deltasync has no compile-time dependency on it.
 */
public final class DbutilsSecretProvider implements SecretProvider {

  static final String HOLDER = "com.databricks.dbutils_v1.DBUtilsHolder";

  private final String holderClass;

  public DbutilsSecretProvider() {
    this(HOLDER);
  }

  /** Reads through another holder class with the same shape (tests). */
  DbutilsSecretProvider(String holderClass) {
    this.holderClass = Objects.requireNonNull(holderClass, "holderClass");
  }

  @Override
  public String secret(SecretRef ref) {
    Object secrets = secretsUtils();
    Object value;
    try {
      value = method(secrets, "get", String.class, String.class).invoke(secrets, ref.scope(), ref.key());
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      // dbutils' own message names the scope and key, never a value.
      throw SyncErrors.secretNotReadable(ref.scope(), ref.key(), describe(cause), cause);
    } catch (ReflectiveOperationException e) {
      throw SyncErrors.secretsUnavailable("dbutils.secrets has no get(scope, key) method (" + e + ")");
    }
    if (!(value instanceof String text) || text.isEmpty()) {
      throw SyncErrors.secretNotReadable(ref.scope(), ref.key(), "dbutils returned an empty value", null);
    }
    return text;
  }

  private Object secretsUtils() {
    try {
      Class<?> holder = Class.forName(holderClass);
      Object dbutils = holder.getMethod("dbutils").invoke(null);
      if (dbutils == null) {
        throw SyncErrors.secretsUnavailable(holderClass + ".dbutils() returned null");
      }
      Object secrets = method(dbutils, "secrets").invoke(dbutils);
      if (secrets == null) {
        throw SyncErrors.secretsUnavailable(holderClass + ".dbutils().secrets() returned null");
      }
      return secrets;
    } catch (ClassNotFoundException e) {
      throw SyncErrors.secretsUnavailable(holderClass + " is not on the class path (not a"
          + " Databricks runtime?)");
    } catch (InvocationTargetException e) {
      throw SyncErrors.secretsUnavailable(holderClass + ".dbutils() failed: " + describe(e.getCause()));
    } catch (ReflectiveOperationException e) {
      throw SyncErrors.secretsUnavailable(holderClass + " has an unexpected shape (" + e + ")");
    }
  }

  /** A public method of an object whose class itself may not be public (Scala implementations). */
  private static Method method(Object target, String name, Class<?>... types)
      throws NoSuchMethodException {
    Method method = target.getClass().getMethod(name, types);
    method.trySetAccessible();
    return method;
  }

  private static String describe(Throwable t) {
    return t == null ? "unknown error" : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public String toString() {
    return "DbutilsSecretProvider(" + holderClass + ")";
  }
}
