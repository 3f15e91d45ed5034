package io.deltasync.samples.demo;

import java.util.Objects;

/**
 * One assertion the demo made.
 *
 * @param step the step (1-based) that made it
 * @param name a short stable name, e.g. {@code staging-excludes-partial-silver}
 * @param held whether it held
 * @param detail the figures behind it
 */
public record Check(int step, String name, boolean held, String detail) {
  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(detail, "detail");
  }
}
