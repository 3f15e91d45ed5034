package io.deltasync.clone;

import io.deltasync.table.TableLocation;
import io.deltasync.testing.Azurite;
import io.deltasync.testing.SharedSpark;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cloner contract on a real object-store API: Azurite through {@code wasb://} (Hadoop 3.3.4),
 * sources in the {@value Azurite#PRIMARY} container, targets in {@value Azurite#SECONDARY}.
 */
@ExtendWith(Azurite.class)
class PortableClonerAzuriteTest extends TableClonerContractTest {

  private String primary;
  private String secondary;

  @BeforeEach
  void regions(Azurite.Server azurite) {
    azurite.configure(SharedSpark.spark().sparkContext().hadoopConfiguration());
    primary = azurite.newRoot(Azurite.PRIMARY);
    secondary = azurite.newRoot(Azurite.SECONDARY);
  }

  @Override
  protected TableCloner cloner() {
    return new PortableCloner(SharedSpark.spark());
  }

  /** Sources (and the plain folder) in the primary container, every other table in the secondary. */
  @Override
  protected TableLocation table(String name) {
    boolean source = name.equals("source") || name.equals("plain");
    return TableLocation.path((source ? primary : secondary) + "/" + name);
  }
}
