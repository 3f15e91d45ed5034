package io.deltasync.preflight;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of a preflight report.
 *
 * @param check what was checked, a stable name such as {@code secrets} or {@code job-permission}
 * @param subject what it was checked on: a secret, a job, a table, a location
 * @param outcome OK, WARN or FAIL
 * @param detail what was found, with the values
 * @param fix what to do; empty for OK
 */
public record CheckResult(String check, String subject, Outcome outcome, String detail,
    Optional<String> fix) {

  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(fix, "fix");
  }

  static CheckResult ok(String check, String subject, String detail) {
    return new CheckResult(check, subject, Outcome.OK, detail, Optional.empty());
  }

  static CheckResult warn(String check, String subject, String detail, String fix) {
    return new CheckResult(check, subject, Outcome.WARN, detail, Optional.of(fix));
  }

  static CheckResult fail(String check, String subject, String detail, String fix) {
    return new CheckResult(check, subject, Outcome.FAIL, detail, Optional.of(fix));
  }

  /** The report line: {@code OUTCOME check subject: detail[. Fix: fix]}. */
  public String line() {
    return outcome + " " + check + " " + subject + ": " + detail
        + fix.map(f -> ". Fix: " + f).orElse("");
  }
}
