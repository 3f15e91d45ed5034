package io.deltasync.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.clone.CloneResult;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.TableOutcome;
import io.deltasync.table.TableName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Cycle progress: one line per group done, the groups done of the total, files and bytes so far. */
class CycleProgressTest {

  @Test
  void eachGroupDoneAddsALineWithTheRunningTotals() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CycleProgress progress = new CycleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 3);

    progress.groupFinished(group(GroupOutcome.Step.SEND, "orders", GroupStatus.SYNCED,
        table("c.s.bronze", 2, 1000), table("c.s.gold", 1, 600)));
    progress.groupFinished(group(GroupOutcome.Step.SEND, "reference", GroupStatus.UP_TO_DATE));
    progress.groupFinished(group(GroupOutcome.Step.RECEIVE, "iot", GroupStatus.FAILED,
        table("c.s.readings", 3, 2048 * 1024)));

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "send: 1/3 groups done (orders SYNCED); 3 files, 1.6 KiB copied",
        "send: 2/3 groups done (reference UP_TO_DATE); 3 files, 1.6 KiB copied",
        "receive: 3/3 groups done (iot FAILED); 6 files, 2.0 MiB copied");
  }

  private static GroupOutcome group(GroupOutcome.Step step, String name, GroupStatus status,
      TableOutcome... tables) {
    return new GroupOutcome(step, "ws", name, status, Optional.empty(), OptionalLong.empty(),
        Optional.empty(), List.of(tables), Optional.empty());
  }

  private static TableOutcome table(String name, long files, long size) {
    TableName table = TableName.parse(name);
    return new TableOutcome(table, table, 1, OptionalLong.empty(), OptionalLong.of(0),
        OptionalLong.empty(), OptionalLong.empty(),
        Optional.of(new CloneResult(size, files, 0, files, 0, size, 1, OptionalLong.of(0),
            Duration.ofMillis(5))), 1, Duration.ofMillis(5), Optional.empty());
  }
}
