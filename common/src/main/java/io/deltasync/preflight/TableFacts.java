package io.deltasync.preflight;

import java.util.List;
import java.util.Map;

/**
 * What preflight reads of a Delta table: its columns and its table properties.
 *
 * @param columns {@code name type} (with {@code not null} when it is), in schema order, nested
 *     types as Spark writes them ({@code struct<a:int>})
 * @param properties the table's {@code TBLPROPERTIES}, e.g. {@code delta.logRetentionDuration}
 */
public record TableFacts(List<String> columns, Map<String, String> properties) {

  public TableFacts {
    columns = List.copyOf(columns);
    properties = Map.copyOf(properties);
  }
}
