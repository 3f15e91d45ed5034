package io.deltasync.table;

import io.deltasync.errors.SyncErrors;
import java.util.regex.Pattern;

/**
 * A Unity Catalog three-part table name, {@code catalog.schema.table}. Each part is a plain
 * identifier (letters, digits, underscores, hyphens), so a name can always be quoted safely and is
 * never interpolated raw into SQL.
 */
public record TableName(String catalog, String schema, String table) {

  private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,254}");

  public TableName {
    requirePart(catalog, "catalog");
    requirePart(schema, "schema");
    requirePart(table, "table");
  }

  /** Parses {@code catalog.schema.table}, refusing anything that is not exactly three identifiers. */
  public static TableName parse(String text) {
    if (!isValid(text)) {
      throw SyncErrors.usage(
          "\"" + text + "\" is not a catalog.schema.table name: write three identifiers"
              + " (letters, digits, _ or -) separated by dots");
    }
    String[] parts = text.split("\\.", -1);
    return new TableName(parts[0], parts[1], parts[2]);
  }

  public static boolean isValid(String text) {
    if (text == null) {
      return false;
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 3) {
      return false;
    }
    for (String part : parts) {
      if (!PART.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The name quoted for Spark SQL: {@code `catalog`.`schema`.`table`}. */
  public String quoted() {
    return "`" + catalog + "`.`" + schema + "`.`" + table + "`";
  }

  /** The relative folder a table maps to under a local region or a staging root. */
  public String relativePath() {
    return catalog + "/" + schema + "/" + table;
  }

  @Override
  public String toString() {
    return catalog + "." + schema + "." + table;
  }

  private static void requirePart(String part, String what) {
    if (part == null || !PART.matcher(part).matches()) {
      throw SyncErrors.usage(
          "\"" + part + "\" is not a valid " + what + " identifier:"
              + " use letters, digits, _ or -, starting with a letter or _");
    }
  }
}
