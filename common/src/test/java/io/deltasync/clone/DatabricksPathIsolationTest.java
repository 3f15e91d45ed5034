package io.deltasync.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.runtime.Cloners;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Databricks ships its own Delta under other names: the Databricks path (Cloners, DatabricksCloner,
 * DeepCloneSql) must load, link and verify with the open-source Delta classes absent.
 */
class DatabricksPathIsolationTest {

  /** Loads deltasync classes itself and refuses every open-source Delta class. */
  private static final class WithoutOssDelta extends URLClassLoader {
    final List<String> refused = new ArrayList<>();

    WithoutOssDelta(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith("org.apache.spark.sql.delta.") || name.startsWith("io.delta.")) {
          refused.add(name);
          throw new ClassNotFoundException(name + " (open-source Delta is absent here)");
        }
        if (name.startsWith("io.deltasync.")) {
          Class<?> loaded = findLoadedClass(name);
          if (loaded == null) {
            loaded = findClass(name);
          }
          if (resolve) {
            resolveClass(loaded);
          }
          return loaded;
        }
        return super.loadClass(name, resolve);
      }
    }
  }

  @Test
  void theDatabricksPathNeverLoadsOpenSourceDelta() throws Exception {
    URL classes = Cloners.class.getProtectionDomain().getCodeSource().getLocation();
    try (WithoutOssDelta loader =
        new WithoutOssDelta(new URL[] {classes}, getClass().getClassLoader())) {
      for (String name : List.of("io.deltasync.runtime.Cloners",
          "io.deltasync.databricks.DatabricksCloner", "io.deltasync.databricks.DeepCloneSql",
          "io.deltasync.databricks.DatabricksErrors",
          "io.deltasync.cli.CloneCommand")) {
        assertThatCode(() -> {
          Class<?> type = Class.forName(name, true, loader);
          type.getDeclaredMethods();
          type.getDeclaredConstructors();
        }).as(name).doesNotThrowAnyException();
      }
      assertThat(loader.refused).isEmpty();
    }
  }

  @Test
  void theCheckWouldCatchThePortableCloner() throws Exception {
    URL classes = Cloners.class.getProtectionDomain().getCodeSource().getLocation();
    try (WithoutOssDelta loader =
        new WithoutOssDelta(new URL[] {classes}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> Class.forName("io.deltasync.spark.PortableCloner", true, loader)
          .getDeclaredMethods())
          .isInstanceOf(NoClassDefFoundError.class)
          .hasMessageContaining("org/apache/spark/sql/delta/");
      assertThat(loader.refused).isNotEmpty();
    }
  }
}
