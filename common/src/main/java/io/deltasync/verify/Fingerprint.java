package io.deltasync.verify;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * What verify compares of one table at one version: its schema, its row count and an
 * order-independent content checksum.
 *
 * @param version the version read
 * @param columns the top-level columns, sorted by name
 * @param rowCount rows
 * @param checksum the content checksum
 */
public record Fingerprint(long version, List<Column> columns, long rowCount, Checksum checksum) {

  public Fingerprint {
    columns = List.copyOf(columns);
    Objects.requireNonNull(checksum, "checksum");
  }

  /**
   * One top-level column.
   *
   * @param name the column name
   * @param type the Spark type, {@code catalogString} form (nested fields included)
   * @param nullable whether the column may hold nulls
   */
  public record Column(String name, String type, boolean nullable) {
    @Override
    public String toString() {
      return name + " " + type + (nullable ? "" : " not null");
    }
  }

  /**
   * Two independent sums, over all rows, of a 64-bit hash of each row's canonical form: equal
   * multisets of rows give equal sums whatever the order or the file layout; a changed, added or
   * removed row changes both sums unless two independent 64-bit hashes collide.
   */
  public record Checksum(BigInteger sum1, BigInteger sum2) {
    public Checksum {
      Objects.requireNonNull(sum1, "sum1");
      Objects.requireNonNull(sum2, "sum2");
    }

    public static final Checksum EMPTY = new Checksum(BigInteger.ZERO, BigInteger.ZERO);

    @Override
    public String toString() {
      return sum1.toString(16) + ":" + sum2.toString(16);
    }
  }
}
