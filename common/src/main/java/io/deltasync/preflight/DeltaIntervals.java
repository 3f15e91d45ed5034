package io.deltasync.preflight;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delta's interval table properties ({@code delta.logRetentionDuration = 'interval 30 days'}):
 * read as a duration, and written back in the same form.
 */
final class DeltaIntervals {

  private static final Pattern PART = Pattern.compile(
      "(\\d+)\\s*(weeks?|days?|hours?|minutes?|seconds?)", Pattern.CASE_INSENSITIVE);

  private DeltaIntervals() {}

  /**
   * {@code interval 1 week 2 days}, {@code 30 days}, {@code interval 90 minutes}: the sum of its
   * parts; empty when any part is not a count and a unit from seconds to weeks.
   */
  static Optional<Duration> parse(String text) {
    String rest = text.trim().toLowerCase(Locale.ROOT);
    if (rest.startsWith("interval")) {
      rest = rest.substring("interval".length()).trim();
    }
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(rest);
    int end = 0;
    while (m.find()) {
      if (!rest.substring(end, m.start()).isBlank()) {
        return Optional.empty();
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2).toLowerCase(Locale.ROOT);
      total = total.plus(switch (unit.charAt(0)) {
        case 'w' -> Duration.ofDays(7 * n);
        case 'd' -> Duration.ofDays(n);
        case 'h' -> Duration.ofHours(n);
        case 'm' -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
      end = m.end();
    }
    return end == rest.length() ? Optional.of(total) : Optional.empty();
  }

  /** The duration as Delta writes it, in the largest whole unit: {@code interval 7 days}. */
  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 86_400 == 0) {
      return "interval " + seconds / 86_400 + " days";
    }
    if (seconds % 3_600 == 0) {
      return "interval " + seconds / 3_600 + " hours";
    }
    if (seconds % 60 == 0) {
      return "interval " + seconds / 60 + " minutes";
    }
    return "interval " + seconds + " seconds";
  }
}
