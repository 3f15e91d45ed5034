package io.deltasync.preflight;

import io.deltasync.ledger.Region;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code deltasync preflight} found, one result per check, in the order they ran.
 *
 * @param region the region the checks ran in
 * @param results every check's result
 */
public record PreflightReport(Region region, List<CheckResult> results) {

  public PreflightReport {
    Objects.requireNonNull(region, "region");
    results = List.copyOf(results);
  }

  /** True when any check failed: the command exits 1 and the job fails. */
  public boolean failed() {
    return results.stream().anyMatch(r -> r.outcome() == Outcome.FAIL);
  }

  public long count(Outcome outcome) {
    return results.stream().filter(r -> r.outcome() == outcome).count();
  }

  /** One line per check, then a summary line. */
  public List<String> lines() {
    List<String> lines = new java.util.ArrayList<>(results.stream().map(CheckResult::line).toList());
    lines.add("preflight in the " + region.name().toLowerCase(java.util.Locale.ROOT) + " region: "
        + count(Outcome.OK) + " OK, " + count(Outcome.WARN) + " WARN, " + count(Outcome.FAIL)
        + " FAIL");
    return lines;
  }

  /** The report as JSON-ready maps: region, counts, and every check. */
  public Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("region", region.name().toLowerCase(java.util.Locale.ROOT));
    root.put("ok", count(Outcome.OK));
    root.put("warn", count(Outcome.WARN));
    root.put("fail", count(Outcome.FAIL));
    root.put("checks", results.stream().map(r -> {
      Map<String, Object> check = new LinkedHashMap<>();
      check.put("check", r.check());
      check.put("subject", r.subject());
      check.put("outcome", r.outcome().name());
      check.put("detail", r.detail());
      r.fix().ifPresent(f -> check.put("fix", f));
      return check;
    }).toList());
    return root;
  }
}
