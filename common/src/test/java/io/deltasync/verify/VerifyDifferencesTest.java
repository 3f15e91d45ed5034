package io.deltasync.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.verify.Fingerprint.Checksum;
import io.deltasync.verify.Fingerprint.Column;
import io.deltasync.verify.VerifyReport.Aspect;
import io.deltasync.verify.VerifyReport.Difference;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every difference between two fingerprints is reported, not only the first. */
class VerifyDifferencesTest {

  private static Fingerprint fp(long rows, long sum, Column... columns) {
    return new Fingerprint(3, List.of(columns), rows,
        new Checksum(BigInteger.valueOf(sum), BigInteger.valueOf(sum * 7)));
  }

  @Test
  void equalFingerprintsHaveNoDifference() {
    Fingerprint a = fp(2, 10, new Column("id", "bigint", false));
    assertThat(Verify.differences(a, fp(2, 10, new Column("id", "bigint", false)))).isEmpty();
  }

  @Test
  void reportsEveryColumnThenCountThenChecksum() {
    Fingerprint secondary = fp(3, 11,
        new Column("a", "int", true),
        new Column("b", "string", false),
        new Column("c", "bigint", true),
        new Column("extra", "string", true));
    Fingerprint staging = fp(4, 12,
        new Column("a", "bigint", true),
        new Column("b", "string", true),
        new Column("c", "bigint", true),
        new Column("gone", "date", false));

    List<Difference> differences = Verify.differences(secondary, staging);

    assertThat(differences).containsExactly(
        new Difference(Aspect.SCHEMA, Optional.of("a"), "type int", "type bigint"),
        new Difference(Aspect.SCHEMA, Optional.of("b"), "not null", "nullable"),
        new Difference(Aspect.SCHEMA, Optional.of("extra"), "string", "absent"),
        new Difference(Aspect.SCHEMA, Optional.of("gone"), "absent", "date not null"),
        new Difference(Aspect.ROW_COUNT, Optional.empty(), "3", "4"),
        new Difference(Aspect.CHECKSUM, Optional.empty(), "b:4d", "c:54"));
    assertThat(differences.get(0).describe(VerifyReport.Side.STAGING))
        .isEqualTo("schema of column a differs: secondary type int, staging type bigint");
  }
}
