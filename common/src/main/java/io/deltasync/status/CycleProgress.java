package io.deltasync.status;

import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.TableOutcome;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Progress of a sender or receiver cycle for a person at a terminal: one line per group done,
 * with the groups done of the total and the files and bytes the clones copied so far, e.g.
 * {@code send: 1/2 groups done (orders SYNCED); 4 files, 1.5 KiB copied}. The launcher turns it on
 * only when stderr is a terminal and {@code --quiet} is not given; jobs never do.
 */
public final class CycleProgress implements GroupListener {

  private final PrintStream out;
  private final int total;
  private int done;
  private long files;
  private long bytes;

  /**
   * @param out where the lines go (stderr)
   * @param total the groups the cycle runs
   */
  public CycleProgress(PrintStream out, int total) {
    this.out = Objects.requireNonNull(out, "out");
    this.total = total;
  }

  @Override
  public synchronized void groupFinished(GroupOutcome outcome) {
    done++;
    for (TableOutcome table : outcome.tables()) {
      files += table.cloneResult().map(c -> c.numCopiedFiles()).orElse(0L);
      bytes += table.copiedBytes();
    }
    out.println(line(outcome));
    out.flush();
  }

  /** The line for {@code outcome}, with the figures as they are after it. */
  synchronized String line(GroupOutcome outcome) {
    String step = outcome.step() == GroupOutcome.Step.SEND ? "send" : "receive";
    return step + ": " + done + "/" + total + " groups done (" + outcome.group() + " "
        + outcome.status() + "); " + files + " files, " + StatusText.bytes(bytes) + " copied";
  }
}
