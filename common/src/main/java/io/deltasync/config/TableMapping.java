package io.deltasync.config;

import io.deltasync.table.TableName;

/**
 * A table of a group and the registered table it becomes in the secondary region (by default the
 * same name).
 */
public record TableMapping(TableName source, TableName secondary) {

  public static TableMapping sameName(TableName name) {
    return new TableMapping(name, name);
  }
}
