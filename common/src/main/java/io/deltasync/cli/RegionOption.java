package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.ledger.Region;
import io.deltasync.sync.RegionWalls;
import picocli.CommandLine.Option;

/**
 * The {@code --region primary|secondary} option: the region a command runs in (a picocli mixin).
 * A command resolves table names only in its region and reaches the other one only through the
 * sync locations and that workspace's Jobs API. Each command has its natural region as default.
 */
public final class RegionOption {

  @Option(
      names = "--region",
      paramLabel = "primary|secondary",
      description = "The region this runs in; it resolves table names only there.")
  Region region;

  /** The region given, or the command's natural one. */
  public Region orElse(Region natural) {
    return region == null ? natural : region;
  }

  /** The config as a job in the region given (or {@code natural}) sees it. */
  public DeltaSyncConfig confine(DeltaSyncConfig config, Region natural) {
    return RegionWalls.confine(config, orElse(natural));
  }
}
