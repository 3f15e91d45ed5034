package io.deltasync.samples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's mechanics on a small table; its figures come from a real run, not a test. */
class CloneBenchTest {

  @TempDir Path dir;

  @Test
  void measuresAFirstCloneANoChangeReCloneAndAnIncrementalOne() {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    // Relative, like the launcher's default .deltasync/bench/clone.
    Path relative = Path.of("").toAbsolutePath().relativize(dir);

    CloneBench.Figures figures =
        new CloneBench(SharedSpark.spark(), new CloneBench.Settings(2L << 20, 20, 4))
            .run(relative, new PrintStream(text, true, StandardCharsets.UTF_8), false, true);

    assertThat(figures.sourceFiles()).isEqualTo(20);
    assertThat(figures.sourceBytes()).isGreaterThan(1L << 20);
    assertThat(figures.noChangeCopiedBytes()).isZero();
    assertThat(figures.changedFiles()).isEqualTo(1);
    assertThat(figures.incrementalCopiedBytes()).isEqualTo(figures.changedBytes());
    assertThat(text.toString(StandardCharsets.UTF_8))
        .startsWith("  table ready: ").contains("clone bench: 20 files")
        .contains("first clone").contains("no-change re-clone").contains("1% changed re-clone");
  }
}
