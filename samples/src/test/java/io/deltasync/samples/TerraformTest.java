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
import java.util.Optional;
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
 * would only report at {@code terraform init}/{@code plan}/{@code apply} time, with a cloud account:
 * variables and module inputs, for_each keys known at plan time, grants ordered after the catalog
 * and locations they grant on, validation skipped only on the peer's location, the grant matrix per
 * principal ({@link #NEEDS}), account principals in both workspaces, and provider versions.
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
        .contains("account", "region_primary", "region_secondary", "modules/region_storage",
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
        locals {
          m = {
            k = "v"
          }
          n = 1
        }
        """);

    assertThat(blocks).extracting(Block::type).containsExactly("module", "variable", "locals");
    assertThat(blocks.get(2).attributes()).containsOnlyKeys("m", "n")
        .containsEntry("m", "{\n    k = \"v\"\n  }").containsEntry("n", "1");
    assertThat(blocks.get(0).labels()).containsExactly("m");
    assertThat(blocks.get(0).attributes()).containsOnlyKeys("source", "url")
        .containsEntry("source", "../x");
    assertThatThrownBy(() -> HclReader.read("module \"m\" {\n source = \"x\"\n"))
        .hasMessageContaining("unclosed block module");
  }

  // --- plan-time keys ------------------------------------------------------------------------------

  @Test
  void everyForEachAndCountHasKeysKnownAtPlanTime() {
    Tree tree = Tree.load();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path folder : tree.folders()) {
      for (Block block : tree.blocks(folder)) {
        for (String meta : List.of("for_each", "count")) {
          String expression = block.attributes().get(meta);
          if (expression != null) {
            checked++;
            tree.applyTimeReferenceInKeys(folder, expression).ifPresent(ref -> problems.add(
                TERRAFORM.relativize(folder) + " " + block.type() + " " + String.join(".", block.labels())
                    + ": " + meta + " depends on " + ref + ", known only after apply"));
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    // the storage role assignments, the schemas, the account's principals and their assignments
    assertThat(checked).isEqualTo(4);
  }

  @Test
  void theKeyCheckFindsTheIdsThatBrokeTheFirstPlanAndAcceptsStaticKeys() {
    String caller = """
        module "storage" {
          source = "../modules/storage"
        }
        module "uc" {
          source          = "../modules/uc"
          data_account_id = module.storage.data_account_id
          peer_account_id = var.peer_account_id
        }
        variable "peer_account_id" {
          type = string
        }
        """;
    String before = """
        resource "azurerm_role_assignment" "storage" {
          for_each = toset(compact([var.data_account_id, var.peer_account_id]))
          scope    = each.value
        }
        """;
    String after = """
        locals {
          accounts = {
            data = var.data_account_id
            peer = var.peer_account_id
          }
          granted = {
            for key, id in local.accounts : key => id if key != "peer" || var.peer_account_id != ""
          }
        }
        resource "azurerm_role_assignment" "storage" {
          for_each = local.granted
          scope    = each.value
        }
        """;
    String keyedByValue = """
        locals {
          accounts = {
            data = var.data_account_id
          }
        }
        resource "azurerm_role_assignment" "storage" {
          for_each = { for key, id in local.accounts : id => key }
          scope    = each.key
        }
        """;
    String resourceId = """
        resource "azurerm_role_assignment" "storage" {
          for_each = toset([azurerm_storage_account.data.id])
          scope    = each.value
        }
        """;
    Map<String, Optional<String>> expected = Map.of(
        before, Optional.of("module.storage.data_account_id"),
        after, Optional.empty(),
        keyedByValue, Optional.of("module.storage.data_account_id"),
        resourceId, Optional.of("azurerm_storage_account.data"));
    Path module = Path.of("/t/modules/uc");
    expected.forEach((text, reference) -> {
      Tree tree = Tree.of(Map.of(Path.of("/t/root"), caller, module, text, Path.of("/t/modules/storage"),
          "output \"data_account_id\" {\n  value = azurerm_storage_account.data.id\n}\n"));
      String forEach = tree.resources(module, "azurerm_role_assignment").get(0).attributes().get("for_each");
      assertThat(tree.applyTimeReferenceInKeys(module, forEach)).as(forEach).isEqualTo(reference);
    });
  }

  // --- order: locations, catalog, grants ------------------------------------------------------------

  @Test
  void everyGrantComesAfterTheCatalogOrLocationItGrantsOn() {
    Tree tree = Tree.load();
    Map<String, String> securables = Map.of(
        "catalog", "databricks_catalog", "schema", "databricks_schema",
        "external_location", "databricks_external_location");
    List<String> grants = new ArrayList<>();
    for (Path folder : tree.folders()) {
      for (Block grant : tree.resources(folder, "databricks_grant")) {
        String where = TERRAFORM.relativize(folder) + " databricks_grant." + grant.labels().get(1);
        List<String> kinds = securables.keySet().stream().filter(grant.attributes()::containsKey).toList();
        assertThat(kinds).as(where).hasSize(1);
        String resourceType = securables.get(kinds.get(0));
        assertThat(tree.tracesTo(folder, grant.attributes().get(kinds.get(0)), resourceType))
            .as(where + ": " + kinds.get(0) + " must come from a " + resourceType + " resource").isTrue();
        grants.add(where);
      }
    }
    assertThat(grants).hasSize(7);

    // the catalog sits on the region's data location, the schemas in the catalog
    Path uc = TERRAFORM.resolve("modules/unity_catalog");
    Block catalog = tree.resources(uc, "databricks_catalog").get(0);
    assertThat(catalog.attributes().get("storage_root"))
        .isEqualTo("${databricks_external_location.data.url}/${var.catalog}");
    assertThat(tree.resources(uc, "databricks_schema")).allSatisfy(schema ->
        assertThat(schema.attributes()).containsEntry("catalog_name", "databricks_catalog.this.name"));
    assertThat(tree.resources(uc, "databricks_schema")).extracting(b -> b.attributes().get("name"))
        .containsExactlyInAnyOrder("each.key", "deltasync");
  }

  @Test
  void eachRegionValidatesItsOwnSyncLocationAndSkipsValidationOnlyOnThePeers() {
    Tree tree = Tree.load();
    for (String region : REGIONS) {
      Path root = TERRAFORM.resolve(region);
      String own = region.substring("region_".length()) + "_sync";
      Map<String, Map<String, String>> locations = new TreeMap<>();
      for (Block module : tree.blocks(root)) {
        if (module.type().equals("module")
            && module.attributes().get("source").equals("../modules/external_location")) {
          locations.put(module.attributes().get("name"), module.attributes());
        }
      }
      assertThat(locations.keySet()).as(region).containsExactly("primary_sync", "secondary_sync");
      locations.forEach((name, location) -> {
        boolean isOwn = name.equals(own);
        assertThat(location).as(region + " " + name)
            .containsEntry("url", isOwn ? "module.storage.sync_url" : "var.peer_sync_url")
            .containsEntry("skip_validation", isOwn ? "false" : "true");
      });
      // the own location comes after its account: sync_url is built from the container resource
      assertThat(tree.tracesTo(root, "module.storage.sync_url", "azurerm_storage_container")).isTrue();
    }
    // the data location too comes after its container, and every credential after its role assignments
    Path uc = TERRAFORM.resolve("modules/unity_catalog");
    Block data = tree.resources(uc, "databricks_external_location").get(0);
    assertThat(tree.tracesTo(uc, data.attributes().get("url"), "azurerm_storage_container")).isTrue();
    assertThat(tree.resources(uc, "databricks_storage_credential").get(0).attributes().get("depends_on"))
        .contains("azurerm_role_assignment.storage").contains("databricks_metastore_assignment.this");
    // nowhere else: the data location is validated
    for (Path folder : tree.folders()) {
      for (Block location : tree.resources(folder, "databricks_external_location")) {
        assertThat(location.attributes().getOrDefault("skip_validation", "false"))
            .isIn("false", "var.skip_validation");
      }
    }
  }

  // --- the grant matrix ---------------------------------------------------------------------------

  private static final String CATALOG = "catalog";
  private static final String OWN_SYNC = "this region's sync location";
  private static final String PEER_SYNC = "the peer's sync location";

  /** One thing a job does, the principal it runs as, and the privileges it takes (docs/deploy.md). */
  record Need(String job, String principal, String operation, String securable, Set<String> privileges) {}

  private static Need need(String job, String principal, String operation, String securable, String... privileges) {
    return new Need(job, principal, operation, securable, Set.of(privileges));
  }

  /**
   * job -> operation -> privileges. Both regions grant the same: after a failover the roles swap,
   * and failback sends from the secondary and receives in the primary.
   */
  static final List<Need> NEEDS = List.of(
      need("sender", "sender", "DESCRIBE HISTORY of each source table (pin the run's versions)", CATALOG,
          "USE_CATALOG", "USE_SCHEMA", "SELECT"),
      need("sender", "sender", "DEEP CLONE <source table> VERSION AS OF v", CATALOG,
          "USE_CATALOG", "USE_SCHEMA", "SELECT"),
      need("sender", "sender", "clone into staging <sync>/<workspace>/<group>/<c>/<s>/<t>", PEER_SYNC,
          "READ_FILES", "WRITE_FILES"),
      need("sender", "sender", "read the ledger to its end, append STAGED/FAILED rows", PEER_SYNC,
          "READ_FILES", "WRITE_FILES"),
      need("receiver", "receiver", "read the ledger to its end and staging AS OF the recorded version", OWN_SYNC,
          "READ_FILES"),
      need("receiver", "receiver", "append APPLIED/FAILED rows to the ledger", OWN_SYNC,
          "READ_FILES", "WRITE_FILES"),
      need("receiver", "receiver", "CREATE OR REPLACE TABLE <registered table> DEEP CLONE <staging>", CATALOG,
          "USE_CATALOG", "USE_SCHEMA", "CREATE_TABLE", "MODIFY"),
      need("receiver", "receiver", "DESCRIBE HISTORY of the registered table (its version)", CATALOG,
          "USE_CATALOG", "USE_SCHEMA", "SELECT"),
      need("failover", "dr", "read the ledger and staging: the recovery point", OWN_SYNC, "READ_FILES"),
      need("failover", "dr", "roll the last staged sync point forward into the registered tables", CATALOG,
          "USE_CATALOG", "USE_SCHEMA", "SELECT", "CREATE_TABLE", "MODIFY"),
      need("failover", "dr", "record the failover in the ledger", OWN_SYNC, "READ_FILES", "WRITE_FILES"),
      need("failback", "dr", "read the reverse ledger: every group applied before the primary is promoted",
          PEER_SYNC, "READ_FILES"),
      need("failback", "dr", "record each step of failback in the ledger", PEER_SYNC, "READ_FILES", "WRITE_FILES"));

  @Test
  void eachPrincipalHasExactlyThePrivilegesItsJobsNeedInBothRegions() {
    Map<String, Map<String, Set<String>>> expected = new TreeMap<>();
    for (Need need : NEEDS) {
      expected.computeIfAbsent(need.principal(), p -> new TreeMap<>())
          .computeIfAbsent(need.securable(), s -> new TreeSet<>()).addAll(need.privileges());
    }
    Tree tree = Tree.load();
    for (String region : REGIONS) {
      assertThat(grantsOf(tree, TERRAFORM.resolve(region))).as(region).isEqualTo(expected);
    }
    assertThat(expected.keySet()).containsExactly("dr", "receiver", "sender");
  }

  @Test
  void everyPrincipalIsAnAccountPrincipalInBothWorkspacesAndReadsTheSecretScope() {
    Tree tree = Tree.load();
    Path account = TERRAFORM.resolve("account");
    Block provider = tree.blocks(account).stream().filter(b -> b.type().equals("provider")).findFirst().orElseThrow();
    assertThat(provider.attributes()).containsEntry("host", "https://accounts.azuredatabricks.net")
        .containsEntry("account_id", "var.account_id");

    Map<String, String> locals = tree.locals(account);
    assertThat(objectKeys(locals.get("principals"))).containsExactly("sender", "receiver", "dr");
    assertThat(objectKeys(locals.get("workspaces"))).containsExactly("primary", "secondary");
    assertThat(locals.get("workspaces")).contains("var.primary_workspace_id").contains("var.secondary_workspace_id");
    assertThat(locals.get("assignments").replaceAll("\\s+", " "))
        .contains("for pair in setproduct(keys(local.workspaces), keys(local.principals))");

    Block principals = tree.resources(account, "databricks_service_principal").get(0);
    assertThat(principals.attributes()).containsEntry("for_each", "local.principals");
    Block assignment = tree.resources(account, "databricks_mws_permission_assignment").get(0);
    assertThat(assignment.attributes())
        .containsEntry("for_each", "local.assignments")
        .containsEntry("workspace_id", "local.workspaces[each.value.workspace]")
        .containsEntry("principal_id", "databricks_service_principal.this[each.value.role].id")
        .containsEntry("permissions", "[\"USER\"]");
    for (String role : List.of("sender", "receiver", "dr")) {
      assertThat(tree.outputs(account)).containsEntry(role + "_application_id",
          "databricks_service_principal.this[\"" + role + "\"].application_id");
    }

    // no region creates a principal of its own (one it could not use in the other workspace)
    for (Path folder : tree.folders()) {
      if (!folder.equals(account)) {
        assertThat(tree.resources(folder, "databricks_service_principal")).as(folder.toString()).isEmpty();
      }
    }
    Path principalsModule = TERRAFORM.resolve("modules/sync_principals");
    assertThat(tree.resources(principalsModule, "databricks_secret_acl"))
        .extracting(b -> b.attributes().get("principal") + " " + b.attributes().get("permission"))
        .containsExactlyInAnyOrder("var.sender_application_id READ", "var.receiver_application_id READ",
            "var.dr_application_id READ");
  }

  // --- versions -----------------------------------------------------------------------------------

  @Test
  void providerVersionsAreBoundedAndHaveWhatTheCodeUses() throws IOException {
    Tree tree = Tree.load();
    Map<String, String> rootConstraints = Map.of("azurerm", "~> 4.9", "databricks", "~> 1.60");
    Map<String, String> moduleConstraints = Map.of("azurerm", ">= 4.9", "databricks", ">= 1.60");
    for (Path folder : tree.folders()) {
      boolean root = tree.blocks(folder).stream().anyMatch(b -> b.type().equals("provider"));
      Block terraform = tree.blocks(folder).stream().filter(b -> b.type().equals("terraform"))
          .findFirst().orElseThrow(() -> new AssertionError(folder + " has no terraform block"));
      Map<String, Map<String, String>> required = requiredProviders(terraform.body());
      Set<String> used = new TreeSet<>();
      for (Block block : tree.blocks(folder)) {
        if (block.type().equals("resource") || block.type().equals("data")) {
          used.add(block.labels().get(0).substring(0, block.labels().get(0).indexOf('_')));
        } else if (block.type().equals("provider")) {
          used.add(block.labels().get(0));
        }
      }
      String where = TERRAFORM.relativize(folder).toString();
      assertThat(required.keySet()).as(where).containsExactlyInAnyOrderElementsOf(used);
      for (String provider : used) {
        assertThat(required.get(provider)).as(where + " " + provider)
            .containsEntry("source", provider.equals("azurerm") ? "hashicorp/azurerm" : "databricks/databricks")
            .containsEntry("version", (root ? rootConstraints : moduleConstraints).get(provider));
      }
      if (root) {
        assertThat(terraform.attributes()).as(where).containsEntry("required_version", ">= 1.5.0");
      }
    }
    // storage_account_id on azurerm_storage_container is why azurerm must be 4.9 or later
    assertThat(Files.readString(TERRAFORM.resolve("modules/region_storage/main.tf")))
        .contains("storage_account_id    = azurerm_storage_account.sync.id");
    // a lock file, once `terraform providers lock` wrote it, is committed, not ignored
    assertThat(Files.readAllLines(repositoryRoot().resolve(".gitignore")))
        .noneMatch(line -> line.contains("lock.hcl") || line.equals("*.hcl"));
  }

  private static Map<String, Map<String, String>> requiredProviders(String terraformBody) {
    Matcher start = Pattern.compile("required_providers\\s*\\{").matcher(terraformBody);
    assertThat(start.find()).as("required_providers").isTrue();
    Map<String, Map<String, String>> providers = new TreeMap<>();
    Matcher entry = Pattern.compile("(\\w+)\\s*=\\s*\\{([^}]*)}").matcher(terraformBody);
    entry.region(start.end(), terraformBody.length());
    while (entry.find()) {
      Map<String, String> fields = new TreeMap<>();
      Matcher field = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"").matcher(entry.group(2));
      while (field.find()) {
        fields.put(field.group(1), field.group(2));
      }
      providers.put(entry.group(1), fields);
    }
    return providers;
  }

  /** Principal role -> securable -> privileges that a region root grants, followed through the module. */
  private static Map<String, Map<String, Set<String>>> grantsOf(Tree tree, Path root) {
    String own = root.getFileName().toString().substring("region_".length()) + "_sync";
    Map<String, Map<String, Set<String>>> grants = new TreeMap<>();
    Set<String> pairs = new TreeSet<>();
    for (Block module : tree.blocks(root)) {
      if (!module.type().equals("module")) {
        continue;
      }
      Path target = root.resolve(module.attributes().get("source")).normalize();
      for (Block grant : tree.resources(target, "databricks_grant")) {
        String principal = grant.attributes().get("principal");
        Matcher role = Pattern.compile("var\\.(\\w+)_application_id").matcher(principal);
        assertThat(role.matches()).as(principal).isTrue();
        assertThat(module.attributes()).containsEntry(role.group(1) + "_application_id",
            "var." + role.group(1) + "_application_id");
        String securable;
        if (grant.attributes().containsKey("catalog")) {
          securable = CATALOG;
        } else {
          String argument = module.attributes().get(grant.attributes().get("external_location").substring(4));
          Matcher location = Pattern.compile("module\\.(\\w+)\\.name").matcher(argument);
          assertThat(location.matches()).as(argument).isTrue();
          String name = tree.blocks(root).stream()
              .filter(b -> b.type().equals("module") && b.labels().get(0).equals(location.group(1)))
              .findFirst().orElseThrow().attributes().get("name");
          securable = name.equals(own) ? OWN_SYNC : PEER_SYNC;
        }
        assertThat(pairs.add(role.group(1) + " on " + securable))
            .as("databricks_grant is authoritative per principal and securable: " + role.group(1) + " on "
                + securable + " twice").isTrue();
        Set<String> privileges = grants.computeIfAbsent(role.group(1), r -> new TreeMap<>())
            .computeIfAbsent(securable, s -> new TreeSet<>());
        Matcher privilege = Pattern.compile("\"([A-Z_]+)\"").matcher(grant.attributes().get("privileges"));
        while (privilege.find()) {
          privileges.add(privilege.group(1));
        }
      }
    }
    return grants;
  }

  /** The keys of an object literal {@code { a = ..., b = ... }}, in order. */
  private static List<String> objectKeys(String object) {
    return Tree.entries(Tree.inner(object.strip())).stream()
        .map(entry -> entry.substring(0, entry.indexOf('=')).strip()).toList();
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

  /**
   * Every folder's blocks, with what the checks need to follow a value across files: locals,
   * outputs, module calls and their callers. Folders may be virtual (tests of the checks).
   */
  static final class Tree {

    private static final Pattern APPLY_TIME = Pattern.compile(
        "\\bmodule\\.[A-Za-z_][\\w-]*(?:\\.[A-Za-z_][\\w-]*)?"
            + "|\\bdata\\.[a-z][\\w]*\\.[A-Za-z_][\\w-]*"
            + "|\\b(?!(?:var|local|each|count|path|terraform|self)\\.)[a-z][a-z0-9]*_[a-z0-9_]+\\.[A-Za-z_][\\w-]*");
    private static final Pattern LOCAL = Pattern.compile("\\blocal\\.([A-Za-z_][\\w-]*)");
    private static final Pattern VAR = Pattern.compile("\\bvar\\.([A-Za-z_][\\w-]*)");
    private static final Pattern MODULE_OUTPUT = Pattern.compile("\\bmodule\\.([A-Za-z_][\\w-]*)\\.([A-Za-z_][\\w-]*)");
    private static final Pattern COMPREHENSION = Pattern.compile(
        "^for\\s+(\\w+)(?:\\s*,\\s*(\\w+))?\\s+in\\s+(.+?)\\s*:\\s*(.+?)\\s*=>\\s*(.+?)(?:\\s+if\\s+(.+))?$",
        Pattern.DOTALL);
    private static final int MAX_DEPTH = 20;

    private final Map<Path, List<Block>> folders;

    private Tree(Map<Path, List<Block>> folders) {
      this.folders = Map.copyOf(folders);
    }

    /** Every folder of .tf files under terraform/ of the repository. */
    static Tree load() {
      Map<Path, List<Block>> folders = new TreeMap<>();
      for (Path folder : TerraformTest.folders()) {
        folders.put(folder, TerraformTest.blocks(folder));
      }
      return new Tree(folders);
    }

    static Tree of(Map<Path, String> texts) {
      Map<Path, List<Block>> folders = new TreeMap<>();
      texts.forEach((folder, text) -> folders.put(folder, HclReader.read(text)));
      return new Tree(folders);
    }

    List<Path> folders() {
      return folders.keySet().stream().sorted().toList();
    }

    List<Block> blocks(Path folder) {
      return folders.getOrDefault(folder, List.of());
    }

    List<Block> resources(Path folder, String type) {
      return blocks(folder).stream()
          .filter(b -> b.type().equals("resource") && b.labels().get(0).equals(type)).toList();
    }

    Map<String, String> locals(Path folder) {
      Map<String, String> locals = new LinkedHashMap<>();
      blocks(folder).stream().filter(b -> b.type().equals("locals")).forEach(b -> locals.putAll(b.attributes()));
      return locals;
    }

    Map<String, String> outputs(Path folder) {
      Map<String, String> outputs = new LinkedHashMap<>();
      blocks(folder).stream().filter(b -> b.type().equals("output"))
          .forEach(b -> outputs.put(b.labels().get(0), b.attributes().get("value")));
      return outputs;
    }

    /** The module blocks, in any folder, whose source is {@code folder}, with the caller's folder. */
    List<Map.Entry<Path, Block>> callers(Path folder) {
      List<Map.Entry<Path, Block>> callers = new ArrayList<>();
      folders.forEach((caller, blocks) -> blocks.stream()
          .filter(b -> b.type().equals("module") && b.attributes().containsKey("source"))
          .filter(b -> caller.resolve(b.attributes().get("source")).normalize().equals(folder))
          .forEach(b -> callers.add(Map.entry(caller, b))));
      return callers;
    }

    /**
     * The first reference known only after apply (a resource attribute, a data source, a module
     * output) that the KEYS of a for_each or count expression depend on, followed through locals
     * and, in a module, through every caller's argument. Values of a map may be apply-time (each
     * instance reads them at apply); its keys may not.
     */
    Optional<String> applyTimeReferenceInKeys(Path folder, String expression) {
      return keys(folder, expression, 0);
    }

    private Optional<String> keys(Path folder, String expression, int depth) {
      String e = expression.strip();
      checkDepth(depth, e);
      Matcher local = Pattern.compile("^local\\.([A-Za-z_][\\w-]*)$").matcher(e);
      if (local.matches() && locals(folder).containsKey(local.group(1))) {
        return keys(folder, locals(folder).get(local.group(1)), depth + 1);
      }
      Matcher variable = Pattern.compile("^var\\.([A-Za-z_][\\w-]*)$").matcher(e);
      if (variable.matches()) {
        for (Map.Entry<Path, Block> caller : callers(folder)) {
          String argument = caller.getValue().attributes().get(variable.group(1));
          if (argument != null) {
            Optional<String> found = keys(caller.getKey(), argument, depth + 1);
            if (found.isPresent()) {
              return found;
            }
          }
        }
        return Optional.empty();
      }
      String inner = inner(e);
      if (inner == null) {
        return reference(folder, e, depth + 1);
      }
      Matcher comprehension = COMPREHENSION.matcher(inner.strip());
      if (comprehension.matches()) {
        String value = comprehension.group(2) != null ? comprehension.group(2) : comprehension.group(1);
        String key = comprehension.group(4);
        String condition = comprehension.group(6) == null ? "" : comprehension.group(6);
        Pattern usesValue = Pattern.compile("\\b" + value + "\\b");
        boolean keyedByValue = usesValue.matcher(key).find() || usesValue.matcher(condition).find();
        String source = comprehension.group(3);
        return first(
            keyedByValue ? reference(folder, source, depth + 1) : keys(folder, source, depth + 1),
            reference(folder, key, depth + 1),
            reference(folder, condition, depth + 1));
      }
      for (String entry : entries(inner)) {
        int equals = entry.indexOf('=');
        Optional<String> found = reference(folder, equals < 0 ? entry : entry.substring(0, equals), depth + 1);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }

    /** The first apply-time reference anywhere in the expression, values included. */
    private Optional<String> reference(Path folder, String expression, int depth) {
      checkDepth(depth, expression);
      Matcher direct = APPLY_TIME.matcher(expression);
      if (direct.find()) {
        return Optional.of(direct.group());
      }
      Matcher local = LOCAL.matcher(expression);
      while (local.find()) {
        String value = locals(folder).get(local.group(1));
        Optional<String> found = value == null ? Optional.empty() : reference(folder, value, depth + 1);
        if (found.isPresent()) {
          return found;
        }
      }
      Matcher variable = VAR.matcher(expression);
      while (variable.find()) {
        for (Map.Entry<Path, Block> caller : callers(folder)) {
          String argument = caller.getValue().attributes().get(variable.group(1));
          Optional<String> found =
              argument == null ? Optional.empty() : reference(caller.getKey(), argument, depth + 1);
          if (found.isPresent()) {
            return found;
          }
        }
      }
      return Optional.empty();
    }

    /**
     * Whether the expression's value comes from a resource of that type, followed through locals,
     * module outputs and (in a module) every caller's argument: Terraform then orders the
     * expression's user after that resource.
     */
    boolean tracesTo(Path folder, String expression, String resourceType) {
      return tracesTo(folder, expression, resourceType, 0);
    }

    private boolean tracesTo(Path folder, String expression, String resourceType, int depth) {
      checkDepth(depth, expression);
      if (Pattern.compile("\\b" + resourceType + "\\.").matcher(expression).find()) {
        return true;
      }
      Matcher local = LOCAL.matcher(expression);
      while (local.find()) {
        String value = locals(folder).get(local.group(1));
        if (value != null && tracesTo(folder, value, resourceType, depth + 1)) {
          return true;
        }
      }
      Matcher output = MODULE_OUTPUT.matcher(expression);
      while (output.find()) {
        String name = output.group(1);
        for (Block module : blocks(folder)) {
          if (module.type().equals("module") && module.labels().get(0).equals(name)) {
            Path target = folder.resolve(module.attributes().get("source")).normalize();
            String value = outputs(target).get(output.group(2));
            if (value != null && tracesTo(target, value, resourceType, depth + 1)) {
              return true;
            }
          }
        }
      }
      Matcher variable = VAR.matcher(expression);
      while (variable.find()) {
        List<Map.Entry<Path, Block>> callers = callers(folder);
        String name = variable.group(1);
        if (!callers.isEmpty() && callers.stream().allMatch(c -> c.getValue().attributes().containsKey(name)
            && tracesTo(c.getKey(), c.getValue().attributes().get(name), resourceType, depth + 1))) {
          return true;
        }
      }
      return false;
    }

    private static void checkDepth(int depth, String expression) {
      if (depth > MAX_DEPTH) {
        throw new IllegalStateException("references nest deeper than " + MAX_DEPTH + " at: " + expression);
      }
    }

    @SafeVarargs
    private static Optional<String> first(Optional<String>... candidates) {
      return Stream.of(candidates).filter(Optional::isPresent).findFirst().orElse(Optional.empty());
    }

    /** The text between an expression's outer braces, or null when it is not one braced value. */
    static String inner(String expression) {
      if (!expression.startsWith("{")) {
        return null;
      }
      int depth = 0;
      boolean inString = false;
      for (int i = 0; i < expression.length(); i++) {
        char c = expression.charAt(i);
        if (c == '"' && (i == 0 || expression.charAt(i - 1) != '\\')) {
          inString = !inString;
        } else if (!inString && (c == '{' || c == '[' || c == '(')) {
          depth++;
        } else if (!inString && (c == '}' || c == ']' || c == ')') && --depth == 0) {
          return i == expression.length() - 1 ? expression.substring(1, i) : null;
        }
      }
      return null;
    }

    /** Top-level entries of an object body, split at commas and line ends outside brackets. */
    static List<String> entries(String body) {
      List<String> entries = new ArrayList<>();
      int depth = 0;
      boolean inString = false;
      StringBuilder current = new StringBuilder();
      for (int i = 0; i < body.length(); i++) {
        char c = body.charAt(i);
        if (c == '"' && (i == 0 || body.charAt(i - 1) != '\\')) {
          inString = !inString;
        } else if (!inString && (c == '{' || c == '[' || c == '(')) {
          depth++;
        } else if (!inString && (c == '}' || c == ']' || c == ')')) {
          depth--;
        }
        if (!inString && depth == 0 && (c == ',' || c == '\n')) {
          if (!current.toString().isBlank()) {
            entries.add(current.toString().strip());
          }
          current.setLength(0);
        } else {
          current.append(c);
        }
      }
      if (!current.toString().isBlank()) {
        entries.add(current.toString().strip());
      }
      return entries;
    }
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

    /**
     * Attributes at the body's top level (depth 0); string values unquoted. A value that opens a
     * bracket runs over the following lines until it closes ({@code for_each = { ... }}).
     */
    private static Map<String, String> attributes(String body) {
      Map<String, String> attributes = new LinkedHashMap<>();
      int depth = 0;
      String[] lines = body.split("\n");
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        if (depth == 0) {
          Matcher m = ATTRIBUTE.matcher(line);
          if (m.matches()) {
            StringBuilder value = new StringBuilder(m.group(2));
            int open = braceBalance(m.group(2));
            while (open > 0 && i + 1 < lines.length) {
              String next = lines[++i];
              value.append('\n').append(next);
              open += braceBalance(next);
            }
            String text = value.toString().strip();
            if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                && text.indexOf('"', 1) == text.length() - 1) {
              text = text.substring(1, text.length() - 1);
            }
            attributes.put(m.group(1), text);
            continue;
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
