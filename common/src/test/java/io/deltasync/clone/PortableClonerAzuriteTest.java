package io.deltasync.clone;

import static io.deltasync.testing.DeltaTables.latestVersion;
import static io.deltasync.testing.DeltaTables.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.spark.PortableCloner;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.Azurite;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The portable cloner's contract on a real object-store API: Azurite through {@code wasb://}. The
 * source lives in the primary region's container, every other table in the secondary's, so each
 * clone crosses containers as a DR clone crosses regions.
 */
@ExtendWith(Azurite.class)
class PortableClonerAzuriteTest extends TableClonerContractTest {

  private Azurite.Server azurite;
  private String primaryRoot;
  private String secondaryRoot;

  @BeforeEach
  void roots(Azurite.Server server) {
    azurite = server;
    azurite.configure(SharedSpark.spark().sparkContext().hadoopConfiguration());
    String test = server.newRoot(Azurite.PRIMARY);
    primaryRoot = test;
    secondaryRoot = test.replace("wasb://" + Azurite.PRIMARY + "@",
        "wasb://" + Azurite.SECONDARY + "@");
  }

  @Override
  protected TableCloner cloner() {
    return new PortableCloner(SharedSpark.spark());
  }

  @Override
  protected TableLocation table(String name) {
    return TableLocation.path((name.startsWith("source") ? primaryRoot : secondaryRoot) + "/" + name);
  }

  private boolean exists(TableLocation table) throws IOException {
    try (FileSystem fs = FileSystem.newInstance(URI.create(table.toString()), azurite.hadoopConf())) {
      return fs.exists(new Path(table.toString()));
    }
  }

  private boolean existsUnchecked(TableLocation table) {
    try {
      return exists(table);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // The two contract cases below look at the local folder `dir`; on wasb they look at the store.

  @Override
  @Test
  void refusesAVersionThatDoesNotExist() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    assertThatThrownBy(() -> cloner().clone(source, 7, target))
        .isInstanceOf(SyncException.class)
        .hasMessage("Table " + source + " has no version 7: its latest version is 2;"
            + " clone a version between 0 and 2");
    assertThat(existsUnchecked(target)).isFalse();
  }

  @Override
  @Test
  void refusesASourceThatIsNotADeltaTable() throws Exception {
    TableLocation source = table("source-plain");
    try (FileSystem fs = FileSystem.newInstance(URI.create(source.toString()), azurite.hadoopConf())) {
      fs.mkdirs(new Path(source.toString()));
      try (var out = fs.create(new Path(source + "/data.csv"))) {
        out.writeBytes("1,one\n");
      }
    }

    assertThatThrownBy(() -> cloner().clone(source, 0, table("target")))
        .isInstanceOf(SyncException.class)
        .hasMessage("The clone source " + source + " is not a Delta table (it has no _delta_log"
            + " with a commit): check the name or path, and that this job can read it");
    assertThat(exists(table("target"))).isFalse();
  }

  @Test
  void theTargetIsWrittenInTheOtherRegionsContainer() throws Exception {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    cloner().clone(source, 2, target);

    assertThat(source.toString()).startsWith("wasb://primary@devstoreaccount1.blob.core.windows.net/");
    assertThat(target.toString()).startsWith("wasb://secondary@devstoreaccount1.blob.core.windows.net/");
    assertThat(exists(TableLocation.path(target + "/_delta_log"))).isTrue();
    assertThat(latestVersion(target)).isZero();
    sql(source, "INSERT INTO $t VALUES (9, 'nine')");
    assertThat(latestVersion(target)).isZero();
  }
}
