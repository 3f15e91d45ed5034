package io.deltasync.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.clone.CloneResult;
import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The Databricks cloner's SQL and result mapping, without Databricks. */
class DeepCloneSqlTest {

  @Test
  void quotesEveryPartOfBothNames() {
    String sql = DeepCloneSql.cloneStatement(
        TableLocation.parse("prod.sales.orders"), 42, TableLocation.parse("dr.staging.orders"));

    assertThat(sql).isEqualTo("CREATE OR REPLACE TABLE `dr`.`staging`.`orders` DEEP CLONE"
        + " `prod`.`sales`.`orders` VERSION AS OF 42");
  }

  @Test
  void quotesPathTables() {
    String sql = DeepCloneSql.cloneStatement(
        TableLocation.parse("abfss://c@acct.dfs.core.windows.net/t a"), 0,
        TableLocation.parse("dr.staging.t"));

    assertThat(sql).isEqualTo("CREATE OR REPLACE TABLE `dr`.`staging`.`t` DEEP CLONE"
        + " delta.`abfss://c@acct.dfs.core.windows.net/t a` VERSION AS OF 0");
  }

  @Test
  void refusesInjectionInsteadOfInterpolatingIt() {
    assertThatThrownBy(() -> TableName.parse("a.b.c; DROP TABLE x"))
        .isInstanceOf(SyncException.class)
        .hasMessage("\"a.b.c; DROP TABLE x\" is not a catalog.schema.table name: write three"
            + " identifiers (letters, digits, _ or -) separated by dots");
    assertThatThrownBy(() -> TableLocation.path("/x`; DROP TABLE y; --"))
        .isInstanceOf(SyncException.class)
        .hasMessage("table path /x`; DROP TABLE y; -- contains a backquote, which deltasync"
            + " refuses: rename the folder");
    // Not a name, and not an absolute path either: refused.
    assertThatThrownBy(() -> DeepCloneSql.cloneStatement(
        TableLocation.parse("a.b.c; DROP TABLE x"), 1, TableLocation.parse("d.e.f")))
        .isInstanceOf(SyncException.class)
        .hasMessage("\"a.b.c; DROP TABLE x\" is neither a catalog.schema.table name nor an"
            + " absolute storage path (/... or scheme://...): write the table's three-part name"
            + " or its full path");
    assertThatThrownBy(() -> DeepCloneSql.cloneStatement(
        TableLocation.parse("d.e.f"), 1, TableLocation.parse("x; DROP TABLE y")))
        .isInstanceOf(SyncException.class)
        .hasMessageStartingWith("\"x; DROP TABLE y\" is neither");
  }

  @Test
  void refusesANegativeVersion() {
    assertThatThrownBy(() -> DeepCloneSql.cloneStatement(
        TableLocation.parse("a.b.c"), -1, TableLocation.parse("d.e.f")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("version must be >= 0, got -1");
  }

  @Test
  void mapsTheDeepCloneResultRow() {
    Map<String, Object> row = new HashMap<>();
    row.put("source_table_size", 1000L);
    row.put("source_num_of_files", 10L);
    row.put("num_removed_files", 2L);
    row.put("num_copied_files", 3L);
    row.put("removed_files_size", 200L);
    row.put("copied_files_size", 300L);

    CloneResult result =
        DeepCloneSql.result(row, 42, OptionalLong.of(7), Duration.ofMillis(1500));

    assertThat(result).isEqualTo(new CloneResult(
        1000, 10, 2, 3, 200, 300, 42, OptionalLong.of(7), Duration.ofMillis(1500)));
  }

  @Test
  void countsMissingOrNullFiguresAsZeroAndParsesText() {
    Map<String, Object> row = new HashMap<>();
    row.put("source_table_size", "1234");
    row.put("num_copied_files", null);
    row.put("source_num_of_files", 4);

    CloneResult result = DeepCloneSql.result(row, 1, OptionalLong.of(0), Duration.ZERO);

    assertThat(result).isEqualTo(
        new CloneResult(1234, 4, 0, 0, 0, 0, 1, OptionalLong.of(0), Duration.ZERO));
  }

  @Test
  void historyIsReadAsADataFrameStatement() {
    assertThat(DeepCloneSql.historyStatement(TableLocation.parse("a.b.c")))
        .isEqualTo("DESCRIBE HISTORY `a`.`b`.`c`");
  }

  @Test
  void recognisesTheRecordedCloneSource() {
    TableLocation name = TableLocation.parse("prod.sales.orders");
    assertThat(DeepCloneSql.sameSource("prod.sales.orders", name)).isTrue();
    assertThat(DeepCloneSql.sameSource("`prod`.`sales`.`orders`", name)).isTrue();
    assertThat(DeepCloneSql.sameSource("spark_catalog.prod.sales.orders", name)).isTrue();
    assertThat(DeepCloneSql.sameSource("prod.sales.orders_v2", name)).isFalse();
    assertThat(DeepCloneSql.sameSource(null, name)).isFalse();
    TableLocation path = TableLocation.parse("abfss://c@a.dfs.core.windows.net/t");
    assertThat(DeepCloneSql.sameSource("delta.`abfss://c@a.dfs.core.windows.net/t`", path))
        .isTrue();
  }
}
