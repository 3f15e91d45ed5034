package io.deltasync.table;

import java.util.Objects;

/**
 * Where a Delta table lives: a Unity Catalog name (on Databricks) or a storage path (staging,
 * local regions, and any path-based table). Cloners accept both; the portable cloner needs paths.
 */
public sealed interface TableLocation {

  /** A table registered in the metastore under a three-part name. */
  record Named(TableName name) implements TableLocation {
    public Named {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String sqlIdentifier() {
      return name.quoted();
    }

    @Override
    public String toString() {
      return name.toString();
    }
  }

  /** A path-based table: a Hadoop URI or a local path. */
  record Path(String uri) implements TableLocation {
    public Path {
      Objects.requireNonNull(uri, "uri");
      if (uri.isBlank()) {
        throw new IllegalArgumentException("a table path must not be blank");
      }
      if (uri.indexOf('`') >= 0) {
        throw io.deltasync.errors.SyncErrors.usage(
            "table path " + uri + " contains a backquote, which deltasync refuses: rename the folder");
      }
    }

    @Override
    public String sqlIdentifier() {
      return "delta.`" + uri + "`";
    }

    @Override
    public String toString() {
      return uri;
    }
  }

  /** The identifier for Spark SQL, already quoted. */
  String sqlIdentifier();

  static TableLocation path(String uri) {
    return new Path(uri);
  }

  static TableLocation named(TableName name) {
    return new Named(name);
  }

  /** A name if the text is a valid {@code catalog.schema.table}, otherwise a path. */
  static TableLocation parse(String text) {
    return TableName.isValid(text) ? new Named(TableName.parse(text)) : new Path(text);
  }
}
