package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project stands alone: a user clones it without anything beside it, so no file of the
 * repository may refer to a path outside it: the team's shared folder beside the clone, an absolute
 * path of a build machine, or a relative path that climbs out of the repository. This file itself is
 * not searched: it names what it looks for.
 */
class StandsAloneTest {

  /** Folders that are built, installed or ignored, never part of a clone. */
  private static final Set<String> NOT_IN_A_CLONE = Set.of(
      ".git", "target", "node_modules", ".deltasync", ".idea", ".vscode", ".terraform",
      "spark-warehouse", "metastore_db");

  /** Mentions that are wrong in any file, documentation included. */
  private static final Pattern OUTSIDE_PATH = Pattern.compile(
      "\\.\\./shared\\b|(?<![\\w.:/-])/(?:work|home|Users|root)/[\\w.-]+|\\b[A-Z]:\\\\\\\\?[\\w.-]+");

  /** A relative path that starts by climbing one folder or more. */
  private static final Pattern CLIMBING_PATH = Pattern.compile("(?<![\\w.])((?:\\.\\./)+)[\\w.*-]*");

  private static final Path ROOT = repositoryRoot();

  @Test
  void noFileRefersToAPathOutsideTheRepository() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : repositoryFiles()) {
      List<String> lines = textLines(file);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        Matcher outside = OUTSIDE_PATH.matcher(line);
        while (outside.find()) {
          found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + outside.group());
        }
        if (!isDocumentation(file)) {
          Matcher climbing = CLIMBING_PATH.matcher(line);
          while (climbing.find()) {
            if (climbsOut(file, climbing.group(1))) {
              found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + climbing.group());
            }
          }
        }
      }
    }
    assertThat(found)
        .as("paths outside the repository; copy what the project needs into it instead")
        .isEmpty();
  }

  @Test
  void theGuardSeesEachKindOfOutsidePath() {
    Path sharedSchema = Path.of("..", "shared", "databricks-bundle-schema.json");
    assertThat(OUTSIDE_PATH.matcher("root.resolve(\"" + sharedSchema + "\")").find()).isTrue();
    assertThat(OUTSIDE_PATH.matcher("table ready: /work/main/.deltasync/bench").find()).isTrue();
    assertThat(OUTSIDE_PATH.matcher("cp /home/dev/schema.json .").find()).isTrue();
    assertThat(OUTSIDE_PATH.matcher("C:\\Users\\dev\\deltasync").find()).isTrue();
    assertThat(OUTSIDE_PATH.matcher("file:///tmp/deltasync/west and s3://bucket/home/x").find()).isFalse();

    Path test = ROOT.resolve("samples/src/test/java/io/deltasync/samples/BundleTest.java");
    assertThat(climbsOut(test, "../")).as("a module's tests resolve against the module").isFalse();
    assertThat(climbsOut(test, "../../")).isTrue();
    Path terraform = ROOT.resolve("terraform/region_primary/main.tf");
    assertThat(climbsOut(terraform, "../")).as("other files resolve against their own folder").isFalse();
    assertThat(climbsOut(terraform, "../../../")).isTrue();
  }

  /**
   * Whether {@code climb} leaves the repository from where the file's paths are resolved: a module's
   * sources and tests run with the module as working folder (Maven's basedir), other files resolve
   * against their own folder.
   */
  private static boolean climbsOut(Path file, String climb) {
    Path relative = ROOT.relativize(file);
    boolean moduleSource = relative.getNameCount() > 2 && relative.getName(1).toString().equals("src");
    Path base = moduleSource ? ROOT.resolve(relative.getName(0)) : file.getParent();
    return !base.resolve(climb).normalize().startsWith(ROOT);
  }

  /** Documentation shows shell sessions ({@code cd ../..}), whose folder depends on the reader. */
  private static boolean isDocumentation(Path file) {
    return file.getFileName().toString().endsWith(".md");
  }

  private static List<Path> repositoryFiles() throws IOException {
    try (Stream<Path> all = Files.walk(ROOT)) {
      return all
          .filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().equals(StandsAloneTest.class.getSimpleName() + ".java"))
          .filter(file -> {
            for (Path part : ROOT.relativize(file)) {
              if (NOT_IN_A_CLONE.contains(part.toString())) {
                return false;
              }
            }
            return true;
          })
          .sorted()
          .toList();
    }
  }

  /** The file's lines, or none for a binary file. */
  private static List<String> textLines(Path file) throws IOException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException binary) {
      return List.of();
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("databricks.yml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no databricks.yml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
