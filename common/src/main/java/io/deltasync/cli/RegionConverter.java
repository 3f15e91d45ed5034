package io.deltasync.cli;

import io.deltasync.ledger.Region;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads {@code --region primary|secondary} in any case, in the launcher and in the job mains alike
 * (a bundle job passes its target's name, {@code primary} or {@code secondary}).
 */
public final class RegionConverter implements CommandLine.ITypeConverter<Region> {

  @Override
  public Region convert(String value) {
    try {
      return Region.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a region: write primary or secondary");
    }
  }
}
