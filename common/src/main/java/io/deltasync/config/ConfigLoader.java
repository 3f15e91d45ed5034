package io.deltasync.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the deltasync config from seed 004's JSON ({@code .json}) or from HOCON ({@code .conf}),
 * where {@code ${?ENV_VAR}} substitutions let the environment override values, and validates it
 * whole: every problem is reported at once with its key path, unknown keys included.
 *
 * <p>The config names secrets (scope and key) but never holds them.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * The config in {@code file}, with {@code ${?ENV_VAR}} substitutions (HOCON) taken from the
   * process environment.
   *
   * @throws io.deltasync.errors.SyncException of kind USAGE (exit code 2) listing every problem
   */
  public static DeltaSyncConfig load(Path file) {
    return load(file, System.getenv());
  }

  /** As {@link #load(Path)}, with substitutions taken from {@code env} instead of the process's. */
  public static DeltaSyncConfig load(Path file, Map<String, String> env) {
    return check(file, env).orThrow();
  }

  /** Reads and validates {@code file}, returning the config or every problem; never throws for bad input. */
  public static ConfigValidation check(Path file) {
    return check(file, System.getenv());
  }

  /** As {@link #check(Path)}, with substitutions taken from {@code env}. */
  public static ConfigValidation check(Path file, Map<String, String> env) {
    String source = file.toString();
    Optional<ConfigSyntax> syntax = syntaxOf(file);
    if (syntax.isEmpty()) {
      return invalid(
          source,
          "is not a .json or .conf file: deltasync reads seed 004's JSON (.json) and HOCON (.conf)");
    }
    if (!Files.isRegularFile(file)) {
      return invalid(
          source, "file not found: pass --config with the path of an existing .json or .conf file");
    }
    Config parsed;
    try {
      parsed =
          ConfigFactory.parseFile(
                  file.toFile(),
                  ConfigParseOptions.defaults().setSyntax(syntax.get()).setAllowMissing(false))
              .resolve(ConfigResolveOptions.noSystem().appendResolver(new EnvResolver(env)));
    } catch (ConfigException.UnresolvedSubstitution e) {
      return invalid(
          source,
          e.getMessage() + " (set the environment variable, or write ${?NAME} to make it optional)");
    } catch (ConfigException e) {
      return invalid(source, e.getMessage());
    }
    Path baseDir = file.toAbsolutePath().getParent();
    return validate(source, parsed, baseDir);
  }

  /**
   * Validates a parsed config tree and maps it into the typed model.
   *
   * @param source names the config in messages (a file path)
   * @param config the parsed (and resolved) tree
   * @param baseDir the folder relative {@code local} folders resolve against
   */
  public static ConfigValidation validate(String source, Config config, Path baseDir) {
    ConfigReader reader = new ConfigReader(baseDir);
    Optional<DeltaSyncConfig> model = reader.read(config.root());
    return new ConfigValidation(source, reader.problems().isEmpty() ? model : Optional.empty(), reader.problems());
  }

  private static Optional<ConfigSyntax> syntaxOf(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return Optional.of(ConfigSyntax.JSON);
    }
    if (name.endsWith(".conf") || name.endsWith(".hocon")) {
      return Optional.of(ConfigSyntax.CONF);
    }
    return Optional.empty();
  }

  private static ConfigValidation invalid(String source, String problem) {
    return new ConfigValidation(source, Optional.empty(), List.of(problem));
  }

  /** Resolves {@code ${NAME}} and {@code ${?NAME}} that the config itself does not define. */
  private record EnvResolver(Map<String, String> env) implements ConfigResolver {

    @Override
    public ConfigValue lookup(String path) {
      String value = env.get(path);
      return value == null ? null : ConfigValueFactory.fromAnyRef(value, "environment variable " + path);
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver fallback) {
      EnvResolver self = this;
      return new ConfigResolver() {
        @Override
        public ConfigValue lookup(String path) {
          ConfigValue value = self.lookup(path);
          return value != null ? value : fallback.lookup(path);
        }

        @Override
        public ConfigResolver withFallback(ConfigResolver next) {
          return self.withFallback(fallback.withFallback(next));
        }
      };
    }
  }
}
