package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads every {@code .tf} file under {@code terraform/} with a small HCL reader (blocks, labels and
 * top-level attributes; enough for the checks, not a full parser) and checks the wiring Terraform
 * would only report at {@code terraform init}/{@code plan} time, with a cloud account.
 */
class TerraformTest {

  private static final Path TERRAFORM = repositoryRoot().resolve("terraform");
  private static final List<String> REGIONS = List.of("region_primary", "region_secondary");
  private static final Pattern VAR_REFERENCE = Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_-]*)");
  private static final Set<String> META_ARGUMENTS =
      Set.of("source", "version", "count", "for_each", "providers", "depends_on");

  @Test
  void everyVariableUsedIsDeclaredInItsFolder() {
    Map<String, Set<String>> undeclared = new TreeMap<>();
    for (Path folder : folders()) {
      Set<String> declared = new TreeSet<>();
      Set<String> used = new TreeSet<>();
      for (Block block : blocks(folder)) {
        if (block.type().equals("variable")) {
          declared.add(block.labels().get(0));
        }
        Matcher m = VAR_REFERENCE.matcher(block.body());
        while (m.find()) {
          used.add(m.group(1));
        }
      }
      used.removeAll(declared);
      if (!used.isEmpty()) {
        undeclared.put(TERRAFORM.relativize(folder).toString(), used);
      }
    }
    assertThat(undeclared).as("variables used but not declared, by folder").isEmpty();
    assertThat(folders()).extracting(f -> TERRAFORM.relativize(f).toString().replace('\\', '/'))
        .contains("region_primary", "region_secondary", "modules/region_storage",
            "modules/unity_catalog", "modules/external_location", "modules/sync_principals");
  }

  @Test
  void everyModuleSourceExistsAndGetsExactlyTheInputsItDeclares() {
    List<String> problems = new ArrayList<>();
    for (Path folder : folders()) {
      for (Block module : blocks(folder)) {
        if (!module.type().equals("module")) {
          continue;
        }
        String where = TERRAFORM.relativize(folder) + " module " + module.labels().get(0);
        String source = module.attributes().get("source");
        if (source == null || !source.startsWith(".")) {
          problems.add(where + ": source must be a local folder, got " + source);
          continue;
        }
        Path target = folder.resolve(source).normalize();
        if (!Files.isDirectory(target) || blocks(target).isEmpty()) {
          problems.add(where + ": source " + source + " is not a folder of .tf files");
          continue;
        }
        Map<String, Boolean> inputs = new LinkedHashMap<>(); // name -> has a default
        for (Block variable : blocks(target)) {
          if (variable.type().equals("variable")) {
            inputs.put(variable.labels().get(0), variable.attributes().containsKey("default"));
          }
        }
        for (String argument : module.attributes().keySet()) {
          if (!META_ARGUMENTS.contains(argument) && !inputs.containsKey(argument)) {
            problems.add(where + ": passes " + argument + ", which " + source + " does not declare");
          }
        }
        inputs.forEach((name, hasDefault) -> {
          if (!hasDefault && !module.attributes().containsKey(name)) {
            problems.add(where + ": does not pass required input " + name);
          }
        });
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void bothRegionsDeclareTheSameExternalLocations() {
    Map<String, Set<String>> locations = new TreeMap<>();
    for (String region : REGIONS) {
      locations.put(region, externalLocations(TERRAFORM.resolve(region)));
    }
    assertThat(locations.get("region_primary")).containsExactly("primary_sync", "secondary_sync");
    assertThat(locations.get("region_secondary")).isEqualTo(locations.get("region_primary"));
  }

  @Test
  void bothRegionsHaveTheSameVariablesAndNoStateOrSecretsAreCommitted() throws IOException {
    Set<String> primary = variables(TERRAFORM.resolve("region_primary"));
    assertThat(variables(TERRAFORM.resolve("region_secondary"))).isEqualTo(primary);
    for (String region : REGIONS) {
      assertThat(TERRAFORM.resolve(region).resolve("terraform.tfvars.example")).isRegularFile();
    }
    try (Stream<Path> files = Files.walk(TERRAFORM)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".tfstate") || name.endsWith(".tfstate.backup")
              || name.equals("terraform.tfvars") || name.equals(".terraform"));
    }
    for (Path folder : folders()) {
      for (Block block : blocks(folder)) {
        if (block.type().equals("variable")) {
          assertThat(block.attributes()).as(folder + " variable " + block.labels())
              .doesNotContainKeys("password", "client_secret", "token");
        }
      }
    }
  }

  @Test
  void theReaderSeesBlocksLabelsAndAttributesPastCommentsAndInterpolations() {
    List<Block> blocks = HclReader.read("""
        # a comment with { a brace
        module "m" {
          source = "../x" // trailing
          url    = "abfss://${var.c}@${var.a}.dfs.core.windows.net"
          nested {
            inner = "ignored"
          }
          /* block comment } */
        }
        variable "a" {
          type = string
        }
        """);

    assertThat(blocks).extracting(Block::type).containsExactly("module", "variable");
    assertThat(blocks.get(0).labels()).containsExactly("m");
    assertThat(blocks.get(0).attributes()).containsOnlyKeys("source", "url")
        .containsEntry("source", "../x");
    assertThatThrownBy(() -> HclReader.read("module \"m\" {\n source = \"x\"\n"))
        .hasMessageContaining("unclosed block module");
  }

  // -----------------------------------------------------------------------------------------------

  private static Set<String> externalLocations(Path region) {
    Set<String> names = new TreeSet<>();
    for (Block block : blocks(region)) {
      boolean viaModule = block.type().equals("module")
          && block.attributes().getOrDefault("source", "").endsWith("modules/external_location");
      boolean direct = block.type().equals("resource")
          && block.labels().get(0).equals("databricks_external_location");
      if (viaModule || direct) {
        names.add(block.attributes().get("name"));
      }
    }
    return names;
  }

  private static Set<String> variables(Path folder) {
    Set<String> names = new TreeSet<>();
    blocks(folder).stream().filter(b -> b.type().equals("variable")).forEach(b -> names.add(b.labels().get(0)));
    return names;
  }

  private static List<Path> folders() {
    try (Stream<Path> all = Files.walk(TERRAFORM)) {
      return all.filter(Files::isDirectory)
          .filter(d -> !d.getFileName().toString().startsWith("."))
          .filter(d -> !blocks(d).isEmpty()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Block> blocks(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      List<Block> blocks = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".tf")).sorted().toList()) {
        blocks.addAll(HclReader.read(Files.readString(file)));
      }
      return blocks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("terraform"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no terraform/ folder above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** A top-level HCL block: {@code type "label"... { body }}, with its top-level attributes. */
  record Block(String type, List<String> labels, String body, Map<String, String> attributes) {}

  /** Just enough HCL: comments, strings with interpolations, nested braces, top-level blocks. */
  static final class HclReader {

    private static final Pattern ATTRIBUTE =
        Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*=\\s*(.*?)\\s*$");

    private HclReader() {}

    static List<Block> read(String text) {
      String code = stripComments(text);
      List<Block> blocks = new ArrayList<>();
      int i = 0;
      while (true) {
        i = skipSpace(code, i);
        if (i >= code.length()) {
          return blocks;
        }
        int start = i;
        while (i < code.length() && (Character.isLetterOrDigit(code.charAt(i)) || code.charAt(i) == '_')) {
          i++;
        }
        String type = code.substring(start, i);
        if (type.isEmpty()) {
          throw new IllegalArgumentException("unexpected '" + code.charAt(i) + "' at offset " + i);
        }
        List<String> labels = new ArrayList<>();
        i = skipSpace(code, i);
        while (i < code.length() && code.charAt(i) == '"') {
          int end = code.indexOf('"', i + 1);
          labels.add(code.substring(i + 1, end));
          i = skipSpace(code, end + 1);
        }
        if (i >= code.length() || code.charAt(i) != '{') {
          throw new IllegalArgumentException("block " + type + " " + labels + " has no body");
        }
        int end = matchingBrace(code, i, type);
        String body = code.substring(i + 1, end);
        blocks.add(new Block(type, List.copyOf(labels), body, attributes(body)));
        i = end + 1;
      }
    }

    /** Attributes at the body's top level (depth 0); string values unquoted. */
    private static Map<String, String> attributes(String body) {
      Map<String, String> attributes = new LinkedHashMap<>();
      int depth = 0;
      for (String line : body.split("\n")) {
        if (depth == 0) {
          Matcher m = ATTRIBUTE.matcher(line);
          if (m.matches()) {
            String value = m.group(2);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
              value = value.substring(1, value.length() - 1);
            }
            attributes.put(m.group(1), value);
          }
        }
        depth += braceBalance(line);
      }
      return attributes;
    }

    private static int braceBalance(String line) {
      int balance = 0;
      boolean inString = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
          inString = !inString;
        } else if (!inString && (c == '{' || c == '[' || c == '(')) {
          balance++;
        } else if (!inString && (c == '}' || c == ']' || c == ')')) {
          balance--;
        }
      }
      return balance;
    }

    private static int matchingBrace(String code, int open, String type) {
      int depth = 0;
      int interpolation = 0;
      boolean inString = false;
      for (int i = open; i < code.length(); i++) {
        char c = code.charAt(i);
        if (inString) {
          if (c == '\\') {
            i++;
          } else if (c == '$' && i + 1 < code.length() && code.charAt(i + 1) == '{') {
            interpolation++;
            i++;
          } else if (c == '}' && interpolation > 0) {
            interpolation--;
          } else if (c == '"' && interpolation == 0) {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          return i;
        }
      }
      throw new IllegalArgumentException("unclosed block " + type);
    }

    private static String stripComments(String text) {
      StringBuilder out = new StringBuilder();
      boolean inString = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (inString) {
          out.append(c);
          if (c == '\\' && i + 1 < text.length()) {
            out.append(text.charAt(++i));
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
          out.append(c);
        } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
          while (i < text.length() && text.charAt(i) != '\n') {
            i++;
          }
          out.append('\n');
        } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
          int end = text.indexOf("*/", i + 2);
          i = end < 0 ? text.length() : end + 1;
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }

    private static int skipSpace(String code, int i) {
      while (i < code.length() && Character.isWhitespace(code.charAt(i))) {
        i++;
      }
      return i;
    }
  }
}
