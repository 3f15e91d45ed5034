package io.deltasync.secrets;

import io.deltasync.config.SecretRef;

/**
 * Reads a secret's value at run time: through dbutils secrets on Databricks, from the environment
 * variable {@code DELTASYNC_SECRET_<SCOPE>_<KEY>} locally. A value returned here is never logged,
 * put in an exception, written to the ledger or printed.
 */
public interface SecretProvider {

  /**
   * @throws io.deltasync.errors.SyncException naming the scope and key (never a value) when the
   *     secret does not exist or cannot be read
   */
  String secret(SecretRef ref);
}
