package io.deltasync.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import org.junit.jupiter.api.Test;

class TableNameTest {

  @Test
  void parsesAndQuotesThreePartNames() {
    TableName name = TableName.parse("dr_test_catalog.raw.workflow_1_bronze");
    assertThat(name.catalog()).isEqualTo("dr_test_catalog");
    assertThat(name.quoted()).isEqualTo("`dr_test_catalog`.`raw`.`workflow_1_bronze`");
    assertThat(name.relativePath()).isEqualTo("dr_test_catalog/raw/workflow_1_bronze");
  }

  @Test
  void refusesInjectionAndWrongArity() {
    assertThatThrownBy(() -> TableName.parse("a.b.c; DROP TABLE x"))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("\"a.b.c; DROP TABLE x\" is not a catalog.schema.table name");
    assertThat(TableName.isValid("dr_test_catalog.raw")).isFalse();
    assertThat(TableName.isValid("a.b`.c")).isFalse();
  }
}
