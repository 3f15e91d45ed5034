package io.deltasync.clone;

import io.deltasync.testing.SharedSpark;

/** The portable cloner against the contract, plus what only it promises. */
class PortableClonerTest extends TableClonerContractTest {

  @Override
  protected TableCloner cloner() {
    return new PortableCloner(SharedSpark.spark());
  }
}
