package io.deltasync.verify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link Verify} found, per group and table.
 *
 * @param groups one entry per verified group, in config order
 */
public record VerifyReport(List<GroupResult> groups) {

  public VerifyReport {
    groups = List.copyOf(groups);
  }

  /** True when any group has a mismatch or could not be verified. */
  public boolean failed() {
    return groups.stream().anyMatch(GroupResult::failed);
  }

  /** Every mismatch of every table, flattened, for messages. */
  public List<String> problems() {
    return groups.stream().flatMap(g -> g.problems().stream()).toList();
  }

  /** How a group came out. */
  public enum Outcome {
    /** No sync point was ever applied: nothing to verify, and not a failure. */
    NOTHING_APPLIED,
    /** Every table matched every side it could be compared with. */
    VERIFIED,
    /** At least one difference, or a table that could not be compared with anything. */
    FAILED
  }

  /**
   * One group.
   *
   * @param workspace {@code workspace_name}
   * @param group {@code group_name}
   * @param sequence the last applied sync point's sequence; empty when nothing was applied
   * @param syncId its sync id
   * @param runId the workflow run it holds; empty for standalone groups
   * @param tables per table of the sync point
   * @param problem why the group could not be verified at all (ledger unreadable)
   * @param epoch the workspace's current epoch and active region, e.g. {@code epoch 2 (PRIMARY
   *     active since ..., by ...)}; empty when the ledger could not be read
   */
  public record GroupResult(
      String workspace,
      String group,
      OptionalLong sequence,
      Optional<String> syncId,
      OptionalLong runId,
      List<TableResult> tables,
      Optional<String> problem,
      Optional<String> epoch) {

    public GroupResult {
      tables = List.copyOf(tables);
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(epoch, "epoch");
    }

    public Outcome outcome() {
      if (problem.isPresent() || tables.stream().anyMatch(TableResult::failed)) {
        return Outcome.FAILED;
      }
      return sequence.isEmpty() ? Outcome.NOTHING_APPLIED : Outcome.VERIFIED;
    }

    public boolean failed() {
      return outcome() == Outcome.FAILED;
    }

    List<String> problems() {
      if (problem.isPresent()) {
        return List.of(group + ": " + problem.get());
      }
      return tables.stream().flatMap(t -> t.problems(group).stream()).toList();
    }
  }

  /**
   * One table of the applied sync point.
   *
   * @param table the primary table name
   * @param secondaryTable the registered secondary table
   * @param secondaryLocation where the secondary table was read
   * @param secondaryVersion the secondary's newest version, the one compared; empty when unreadable
   * @param appliedVersion the secondary version the receiver recorded when it applied the point
   * @param comparisons with staging, then with the primary
   * @param secondaryProblem why the secondary table could not be read
   */
  public record TableResult(
      String table,
      String secondaryTable,
      String secondaryLocation,
      OptionalLong secondaryVersion,
      OptionalLong appliedVersion,
      List<Comparison> comparisons,
      Optional<String> secondaryProblem) {

    public TableResult {
      comparisons = List.copyOf(comparisons);
      Objects.requireNonNull(secondaryProblem, "secondaryProblem");
    }

    /** Mismatched somewhere, unreadable, or compared with nothing. */
    public boolean failed() {
      return secondaryProblem.isPresent()
          || comparisons.stream().anyMatch(c -> c.result() == Result.MISMATCH)
          || comparisons.stream().noneMatch(c -> c.result() == Result.MATCH);
    }

    List<String> problems(String group) {
      String prefix = group + ": table " + secondaryTable;
      if (secondaryProblem.isPresent()) {
        return List.of(prefix + ": secondary unreadable: " + secondaryProblem.get());
      }
      List<String> out = new java.util.ArrayList<>();
      for (Comparison c : comparisons) {
        for (Difference d : c.differences()) {
          out.add(prefix + " vs " + c.side().label() + " " + c.location() + " version " + c.version()
              + ": " + d.describe(c.side()));
        }
      }
      if (out.isEmpty() && failed()) {
        out.add(prefix + ": could not be compared with staging nor with the primary");
      }
      return out;
    }
  }

  /** The side the secondary table is compared with. */
  public enum Side {
    STAGING("staging"),
    PRIMARY("primary");

    private final String label;

    Side(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** How one comparison came out. */
  public enum Result {
    MATCH,
    MISMATCH,
    /** The other side could not be read; {@link Comparison#reason()} says why. */
    NOT_COMPARED
  }

  /**
   * The secondary table compared with one side.
   *
   * @param side staging or primary
   * @param location where that side was read
   * @param version the version of that side the ledger recorded
   * @param result match, mismatch or not compared
   * @param differences every difference found (empty unless MISMATCH)
   * @param reason why it was not compared
   */
  public record Comparison(
      Side side,
      String location,
      long version,
      Result result,
      List<Difference> differences,
      Optional<String> reason) {

    public Comparison {
      differences = List.copyOf(differences);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** What differs. */
  public enum Aspect {
    SCHEMA("schema"),
    ROW_COUNT("row count"),
    CHECKSUM("checksum");

    private final String label;

    Aspect(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One difference.
   *
   * @param aspect schema, row count or checksum
   * @param subject the column for schema differences; empty otherwise
   * @param secondary the secondary's value ({@code absent} for a missing column)
   * @param other the other side's value
   */
  public record Difference(Aspect aspect, Optional<String> subject, String secondary, String other) {

    /** E.g. {@code row count differs: secondary 3, staging 4}. */
    public String describe(Side side) {
      return aspect.label() + subject.map(s -> " of column " + s).orElse("") + " differs: secondary "
          + secondary + ", " + side.label() + " " + other;
    }
  }
}
