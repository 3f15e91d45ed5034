package io.deltasync.cli;

import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command that reads the config shares (a picocli mixin). */
public final class ConfigOption {

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The deltasync config: seed 004's JSON (.json) or HOCON (.conf).")
  Path file;

  public Path file() {
    return file;
  }

  /** The validated config; a usage error (exit code 2) listing every problem otherwise. */
  public DeltaSyncConfig load() {
    return ConfigLoader.load(file);
  }
}
