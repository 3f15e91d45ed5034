package io.deltasync.config;

import io.deltasync.errors.SyncErrors;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of reading a config file: the config when it is valid, otherwise every problem found,
 * each with its key path.
 *
 * @param source the file, as the user named it
 * @param config the typed config; present exactly when there are no problems
 * @param problems every problem, in a stable order ({@code key.path: what is wrong and what to do})
 */
public record ConfigValidation(String source, Optional<DeltaSyncConfig> config, List<String> problems) {

  public ConfigValidation {
    problems = List.copyOf(problems);
    if (config.isPresent() == !problems.isEmpty()) {
      throw new IllegalArgumentException("a config validation has a config or problems, not both");
    }
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** The config, or a usage error (exit code 2) listing every problem. */
  public DeltaSyncConfig orThrow() {
    if (!valid()) {
      throw SyncErrors.invalidConfig(source, problems);
    }
    return config.orElseThrow();
  }
}
