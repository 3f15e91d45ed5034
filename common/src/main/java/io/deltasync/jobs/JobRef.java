package io.deltasync.jobs;

import java.util.Objects;

/**
 * A job (workflow) in one workspace: its id there and its name. Locally the id is
 * {@code local:<name>}.
 */
public record JobRef(String id, String name) {

  public JobRef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }
}
