package io.deltasync.spark;

import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import io.deltasync.verify.Fingerprint;
import io.deltasync.verify.TableFingerprinter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Fingerprints Delta tables with Spark, through public APIs only (the DataFrame reader option
 * {@code versionAsOf} for paths, SQL {@code VERSION AS OF} for names), so it runs on open-source
 * Delta and on Databricks alike.
 *
 * <p>The checksum: each row is turned into a canonical value (top-level columns and nested struct
 * fields ordered by name; maps turned into arrays of key/value entries sorted by key, so equal maps
 * compare equal whatever their entry order), serialized with {@code to_json} (nulls are explicit:
 * a null field is absent from its object, a null array element is {@code null}; timestamps keep
 * microseconds), and hashed twice with {@code xxhash64} (once plain, once salted). Both 64-bit
 * hashes are summed over all rows as {@code DECIMAL(38,0)}, which cannot overflow below 10^19
 * rows. A sum, unlike a XOR, keeps duplicate rows apart.
 */
public final class SparkFingerprinter implements TableFingerprinter {

  private static final String SALT = "deltasync-verify";
  private static final Map<String, String> JSON_OPTIONS = Map.of(
      "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
      "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS",
      "dateFormat", "yyyy-MM-dd",
      "ignoreNullFields", "true");

  private final SparkSession spark;

  public SparkFingerprinter(SparkSession spark) {
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  @Override
  public Fingerprint fingerprint(TableLocation table, long version) {
    try {
      Dataset<Row> rows = read(table, version);
      StructType schema = rows.schema();
      List<Fingerprint.Column> columns = Arrays.stream(schema.fields())
          .sorted(Comparator.comparing(StructField::name))
          .map(f -> new Fingerprint.Column(f.name(), typeString(f.dataType()), f.nullable()))
          .toList();
      Column json = functions.to_json(canonicalRow(schema), JSON_OPTIONS);
      Row sums = rows.select(json.as("row_json"))
          .select(
              functions.xxhash64(functions.col("row_json")).cast(DataTypes.createDecimalType(38, 0))
                  .as("h1"),
              functions.xxhash64(functions.lit(SALT), functions.col("row_json"))
                  .cast(DataTypes.createDecimalType(38, 0)).as("h2"))
          .agg(functions.count(functions.lit(1)), functions.sum("h1"), functions.sum("h2"))
          .first();
      long count = sums.getLong(0);
      Fingerprint.Checksum checksum = count == 0
          ? Fingerprint.Checksum.EMPTY
          : new Fingerprint.Checksum(integer(sums.getDecimal(1)), integer(sums.getDecimal(2)));
      return new Fingerprint(version, columns, count, checksum);
    } catch (SyncException e) {
      throw e;
    } catch (Exception e) {
      // Spark's AnalysisException (e.g. VersionNotFoundException) is checked in Java's eyes.
      throw SyncErrors.verifyTableUnreadable(table.toString(), Long.toString(version), e);
    }
  }

  @Override
  public long latestVersion(TableLocation table) {
    try {
      return spark.sql("DESCRIBE HISTORY " + table.sqlIdentifier() + " LIMIT 1")
          .select("version").first().getLong(0);
    } catch (Exception e) {
      throw SyncErrors.verifyTableUnreadable(table.toString(), "latest", e);
    }
  }

  private Dataset<Row> read(TableLocation table, long version) {
    if (table instanceof TableLocation.Path path) {
      return spark.read().format("delta").option("versionAsOf", version).load(path.uri());
    }
    return spark.sql("SELECT * FROM " + table.sqlIdentifier() + " VERSION AS OF " + version);
  }

  /** The row as one struct: every top-level column, by name, in canonical form. */
  static Column canonicalRow(StructType schema) {
    List<Column> fields = new ArrayList<>();
    Arrays.stream(schema.fields())
        .sorted(Comparator.comparing(StructField::name))
        .forEach(f -> fields.add(canonical(functions.col(quote(f.name())), f.dataType())
            .as(f.name())));
    return functions.struct(fields.toArray(Column[]::new));
  }

  /** A value whose JSON form is the same for equal values, whatever their physical layout. */
  static Column canonical(Column value, DataType type) {
    if (type instanceof StructType struct) {
      if (struct.fields().length == 0) {
        return value;
      }
      List<Column> fields = new ArrayList<>();
      Arrays.stream(struct.fields())
          .sorted(Comparator.comparing(StructField::name))
          .forEach(f -> fields.add(canonical(value.getField(f.name()), f.dataType()).as(f.name())));
      // A null struct stays null (not a struct of nulls).
      return functions.when(value.isNotNull(), functions.struct(fields.toArray(Column[]::new)));
    }
    if (type instanceof ArrayType array) {
      if (!needsRewrite(array.elementType())) {
        return value;
      }
      return functions.transform(value, element -> canonical(element, array.elementType()));
    }
    if (type instanceof MapType map) {
      return functions.array_sort(functions.transform(functions.map_entries(value),
          entry -> functions.struct(
              canonical(entry.getField("key"), map.keyType()).as("key"),
              canonical(entry.getField("value"), map.valueType()).as("value"))));
    }
    return value;
  }

  private static boolean needsRewrite(DataType type) {
    if (type instanceof StructType || type instanceof MapType) {
      return true;
    }
    return type instanceof ArrayType array && needsRewrite(array.elementType());
  }

  /** The type with nested nullability spelled out (catalogString leaves it out). */
  static String typeString(DataType type) {
    if (type instanceof StructType struct) {
      StringBuilder text = new StringBuilder("struct<");
      StructField[] fields = struct.fields();
      for (int i = 0; i < fields.length; i++) {
        if (i > 0) {
          text.append(',');
        }
        text.append(fields[i].name()).append(':').append(typeString(fields[i].dataType()));
        if (!fields[i].nullable()) {
          text.append(" not null");
        }
      }
      return text.append('>').toString();
    }
    if (type instanceof ArrayType array) {
      return "array<" + typeString(array.elementType())
          + (array.containsNull() ? "" : " not null") + ">";
    }
    if (type instanceof MapType map) {
      return "map<" + typeString(map.keyType()) + "," + typeString(map.valueType())
          + (map.valueContainsNull() ? "" : " not null") + ">";
    }
    return type.catalogString();
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static BigInteger integer(BigDecimal value) {
    return value == null ? BigInteger.ZERO : value.toBigIntegerExact();
  }
}
