package io.deltasync.preflight;

import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.jobs.JobNames;
import io.deltasync.ledger.Region;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.sync.Placement;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The checks of {@code deltasync preflight --region R}: what a failover or the next sync cycle
 * would need, checked from the region it runs in, before anyone needs it. Read-only except for
 * the probe files it writes and deletes again.
 *
 * <p>Per workspace of the config, in this order: the secrets are readable; both Jobs APIs answer
 * the configured principal of each workspace; every job that failover and failback switch is there
 * with the permission they need for that principal (CAN_MANAGE, CAN_MANAGE_RUN for a job failback
 * only starts); this region's tables are registered or creatable; the
 * staging and ledger locations are writable; this region's tables keep their log and deleted files
 * longer than a sync interval plus the receiver's period; the switched jobs' tasks, parameters and
 * libraries match between the two workspaces; this region's tables have the schema of their
 * staged copy (the primary's, read from storage: the other region's tables are never resolved by
 * name).
 */
public final class Preflight {

  /** Delta's default {@code delta.logRetentionDuration}. */
  static final Duration DEFAULT_LOG_RETENTION = Duration.ofDays(30);
  /** Delta's default {@code delta.deletedFileRetentionDuration}. */
  static final Duration DEFAULT_DELETED_FILE_RETENTION = Duration.ofDays(7);
  static final String LOG_RETENTION = "delta.logRetentionDuration";
  static final String DELETED_FILE_RETENTION = "delta.deletedFileRetentionDuration";
  /** At most this many differing fields are named on one drift line. */
  private static final int MAX_NAMED_DIFFERENCES = 3;

  private final SecretProvider secrets;
  private final BiFunction<WorkspaceConfig, Region, WorkspaceJobs> jobs;
  private final RegionTables tables;
  private final StorageProbe storage;
  private final JobNames jobNames;

  /**
   * @param secrets the running region's secrets
   * @param jobs a workspace's Jobs API in a region, reached with that region's configured
   *     credentials (embedded workspaces too: failover and failback switch jobs through it)
   * @param tables the running region's tables, and any table by path
   * @param storage the probe of a storage location
   * @param jobNames deltasync's own job names
   */
  public Preflight(SecretProvider secrets,
      BiFunction<WorkspaceConfig, Region, WorkspaceJobs> jobs, RegionTables tables,
      StorageProbe storage, JobNames jobNames) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.jobNames = Objects.requireNonNull(jobNames, "jobNames");
  }

  /** Runs every check from {@code region} and returns one result per check. */
  public PreflightReport run(DeltaSyncConfig config, Region region) {
    // Three checks read each table: read it once per run.
    RegionTables tables = new ReadOnce(this.tables);
    List<CheckResult> results = new ArrayList<>();
    for (WorkspaceConfig ws : config.workspaces()) {
      results.addAll(secrets(config, ws, region));
      Map<Region, Optional<WorkspaceJobs>> reached = new java.util.EnumMap<>(Region.class);
      for (Region side : Region.values()) {
        reached.put(side, reach(ws, side, results));
      }
      for (Region side : Region.values()) {
        reached.get(side).ifPresent(api -> results.addAll(permissions(ws, side, api)));
      }
      results.addAll(tables(tables, ws, region));
      results.addAll(storage(ws, region));
      results.addAll(retention(tables, ws, region));
      if (reached.get(Region.PRIMARY).isPresent() && reached.get(Region.SECONDARY).isPresent()) {
        results.addAll(jobDrift(ws, reached.get(Region.PRIMARY).get(),
            reached.get(Region.SECONDARY).get()));
      }
      results.addAll(schemaDrift(tables, ws, region));
    }
    return new PreflightReport(region, results);
  }

  // ----------------------------------------------------------------------------------------------
  // secrets

  private List<CheckResult> secrets(DeltaSyncConfig config, WorkspaceConfig ws, Region region) {
    Set<SecretRef> refs = new LinkedHashSet<>();
    refs.addAll(refs(ws.primaryWorkspaceCredentials()));
    refs.addAll(refs(ws.secondaryWorkspaceCredentials()));
    config.notifications().ifPresent(n -> {
      n.smtp().flatMap(s -> s.password()).ifPresent(refs::add);
      n.webhookUrl().ifPresent(refs::add);
    });
    List<CheckResult> results = new ArrayList<>();
    for (SecretRef ref : refs) {
      try {
        secrets.secret(ref);
        results.add(CheckResult.ok("secret", ref.toString(), "readable"));
      } catch (RuntimeException e) {
        results.add(CheckResult.fail("secret", ref.toString(), "not readable: " + e.getMessage(),
            "put it in the " + name(region) + " workspace: databricks secrets put-secret "
                + ref.scope() + " " + ref.key() + ", and grant READ on scope " + ref.scope()
                + " to the job's principal"));
      }
    }
    return results;
  }

  private static List<SecretRef> refs(Credentials credentials) {
    if (credentials instanceof Credentials.Pat pat) {
      return List.of(pat.token());
    }
    Credentials.OAuthM2M m2m = (Credentials.OAuthM2M) credentials;
    return List.of(m2m.clientId(), m2m.clientSecret());
  }

  // ----------------------------------------------------------------------------------------------
  // Jobs APIs and permissions

  private Optional<WorkspaceJobs> reach(WorkspaceConfig ws, Region side, List<CheckResult> results) {
    String subject = ws.name() + " " + name(side);
    WorkspaceJobs api;
    try {
      api = jobs.apply(ws, side);
    } catch (RuntimeException e) {
      results.add(CheckResult.fail("jobs-api", subject, "cannot connect: " + e.getMessage(),
          "set the " + name(side) + " workspace URL and credential keys in the config"));
      return Optional.empty();
    }
    try {
      String caller = api.caller();
      results.add(CheckResult.ok("jobs-api", subject, "reached " + api.workspace() + " as "
          + caller));
      return Optional.of(api);
    } catch (RuntimeException e) {
      results.add(CheckResult.fail("jobs-api", subject, "no answer for the configured principal: "
          + e.getMessage(), "check the " + name(side) + " workspace URL, that the credential"
              + " keys hold a valid token or OAuth secret of a principal of that workspace, and"
              + " that it is reachable from the running region"));
      return Optional.empty();
    }
  }

  /**
   * The jobs failover and failback switch in a region's workspace, each with the level that
   * needs: CAN_MANAGE to pause, unpause and cancel; CAN_MANAGE_RUN for the primary's receiver,
   * which failback only starts (the reverse receive, run-now).
   */
  private Map<String, JobPermissionLevel> switchedJobs(WorkspaceConfig ws, Region side) {
    Map<String, JobPermissionLevel> jobs = new java.util.LinkedHashMap<>();
    ws.groups().stream().flatMap(g -> g.workflow().stream())
        .forEach(name -> jobs.put(name, JobPermissionLevel.CAN_MANAGE));
    if (side == Region.PRIMARY) {
      jobs.put(jobNames.sender(), JobPermissionLevel.CAN_MANAGE);
      jobs.put(jobNames.receiver(), JobPermissionLevel.CAN_MANAGE_RUN);
    } else {
      jobs.put(jobNames.receiver(), JobPermissionLevel.CAN_MANAGE);
      jobs.put(jobNames.reverseSender(), JobPermissionLevel.CAN_MANAGE);
    }
    return jobs;
  }

  private List<CheckResult> permissions(WorkspaceConfig ws, Region side, WorkspaceJobs api) {
    List<CheckResult> results = new ArrayList<>();
    String caller = api.caller();
    for (Map.Entry<String, JobPermissionLevel> switched : switchedJobs(ws, side).entrySet()) {
      String name = switched.getKey();
      JobPermissionLevel needed = switched.getValue();
      String subject = ws.name() + " " + name(side) + " " + name;
      List<JobFacts> found;
      try {
        found = api.jobs(name);
      } catch (RuntimeException e) {
        results.add(CheckResult.fail("job-permission", subject, "cannot list the job: "
            + e.getMessage(), "grant " + caller + " " + needed + " on job " + name));
        continue;
      }
      if (found.isEmpty()) {
        results.add(CheckResult.fail("job-permission", subject, "no job named " + name
            + " visible to " + caller, "deploy the bundle to target " + name(side)
            + " (databricks bundle deploy -t " + name(side) + ") and grant " + caller + " "
            + needed + " on it"));
      } else if (found.size() > 1) {
        results.add(CheckResult.fail("job-permission", subject, found.size() + " jobs named "
            + name + " (ids " + found.stream().map(JobFacts::id).toList() + ")",
            "delete all but the bundle's job: failover switches jobs by name"));
      } else {
        JobFacts job = found.get(0);
        if (job.callerPermission().includes(needed)) {
          results.add(CheckResult.ok("job-permission", subject, "job " + job.id() + ", "
              + caller + " has " + job.callerPermission()));
        } else {
          results.add(CheckResult.fail("job-permission", subject, "job " + job.id() + ", "
              + caller + " has " + job.callerPermission() + "; "
              + (needed == JobPermissionLevel.CAN_MANAGE
                  ? "failover and failback pause, unpause and cancel it, which needs CAN_MANAGE"
                  : "failback starts it (run-now), which needs " + needed),
              "grant " + caller + " " + needed + " on job " + name + " (bundle: the job's"
                  + " permissions, variable jobs_api_service_principal)"));
        }
      }
    }
    return results;
  }

  // ----------------------------------------------------------------------------------------------
  // tables of the running region

  /** A table of the running region: the source in the primary, the secondary table otherwise. */
  private static TableLocation own(Placement placement, TableMapping mapping, Region region) {
    return region == Region.PRIMARY ? placement.primary(mapping.source())
        : placement.secondary(mapping.secondary());
  }

  private static TableName ownName(TableMapping mapping, Region region) {
    return region == Region.PRIMARY ? mapping.source() : mapping.secondary();
  }

  private static List<CheckResult> tables(RegionTables tables, WorkspaceConfig ws,
      Region region) {
    Placement placement = Placement.of(ws);
    List<CheckResult> results = new ArrayList<>();
    for (SyncGroup group : ws.groups()) {
      for (TableMapping mapping : group.tables()) {
        TableLocation table = own(placement, mapping, region);
        String subject = group.name() + " " + table;
        if (tables.table(table).isPresent()) {
          results.add(CheckResult.ok("table", subject, "registered"));
        } else if (tables.creatable(table)) {
          results.add(CheckResult.ok("table", subject, "not registered yet; its schema exists,"
              + " so " + (region == Region.PRIMARY ? "the workflow" : "the receiver")
              + " can create it"));
        } else {
          TableName name = ownName(mapping, region);
          results.add(CheckResult.fail("table", subject, "not registered, and schema "
              + name.catalog() + "." + name.schema() + " does not exist",
              "create the schema in the " + name(region) + " workspace (terraform/region_"
                  + name(region) + ") or correct the table name in group " + group.name()));
        }
      }
    }
    return results;
  }

  // ----------------------------------------------------------------------------------------------
  // storage

  private List<CheckResult> storage(WorkspaceConfig ws, Region region) {
    Map<String, String> locations = new java.util.LinkedHashMap<>();
    String ledger = Placement.ledger(ws.syncLocationSecondary()).uri();
    locations.put("ledger", ledger.substring(0, ledger.lastIndexOf('/')));
    if (region == Region.PRIMARY) {
      locations.put("staging", join(ws.syncLocationSecondary(), ws.name()));
    } else {
      locations.put("failback staging", ws.syncLocationPrimary());
    }
    List<CheckResult> results = new ArrayList<>();
    locations.forEach((what, location) -> {
      String subject = ws.name() + " " + what + " " + location;
      try {
        storage.writeAndDelete(location);
        results.add(CheckResult.ok("storage", subject, "wrote and deleted a probe file"));
      } catch (RuntimeException e) {
        results.add(CheckResult.fail("storage", subject, "not writable: " + e.getMessage(),
            "grant the " + name(region) + " region's job principals WRITE_FILES on the external"
                + " location of " + location + " (terraform/region_" + name(region) + ")"));
      }
    });
    return results;
  }

  // ----------------------------------------------------------------------------------------------
  // retention

  /**
   * How long a version must stay readable: the sender pins a version, and the receiver may apply
   * it up to one sync interval plus its own period later (it runs every interval, offset).
   */
  static Duration retentionNeeded(WorkspaceConfig ws) {
    return ws.syncInterval().plus(ws.syncInterval());
  }

  private static List<CheckResult> retention(RegionTables tables, WorkspaceConfig ws,
      Region region) {
    Placement placement = Placement.of(ws);
    Duration needed = retentionNeeded(ws);
    List<CheckResult> results = new ArrayList<>();
    for (SyncGroup group : ws.groups()) {
      for (TableMapping mapping : group.tables()) {
        TableLocation table = own(placement, mapping, region);
        Optional<TableFacts> facts = tables.table(table);
        if (facts.isEmpty()) {
          continue; // reported by the table check
        }
        String subject = group.name() + " " + table;
        List<String> short_ = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String key : List.of(LOG_RETENTION, DELETED_FILE_RETENTION)) {
          String value = facts.get().properties().get(key);
          Duration kept = key.equals(LOG_RETENTION) ? DEFAULT_LOG_RETENTION
              : DEFAULT_DELETED_FILE_RETENTION;
          if (value != null) {
            Optional<Duration> parsed = DeltaIntervals.parse(value);
            if (parsed.isEmpty()) {
              unreadable.add(key + " = '" + value + "'");
              continue;
            }
            kept = parsed.get();
          }
          if (kept.compareTo(needed) <= 0) {
            short_.add(key + " = " + DeltaIntervals.format(kept));
          }
        }
        if (!short_.isEmpty()) {
          results.add(CheckResult.fail("retention", subject, String.join(", ", short_)
              + ", not longer than the sync interval plus the receiver's period ("
              + DeltaIntervals.format(needed) + "): a pinned version may be vacuumed before"
              + " it is applied", "ALTER TABLE " + table.sqlIdentifier() + " SET TBLPROPERTIES ("
              + short_.stream().map(s -> "'" + s.substring(0, s.indexOf(' ')) + "' = '"
                  + DeltaIntervals.format(suggested(s.substring(0, s.indexOf(' ')), needed))
                  + "'").reduce((a, b) -> a + ", " + b).orElse("") + ")"));
        } else if (!unreadable.isEmpty()) {
          results.add(CheckResult.warn("retention", subject, "cannot read "
              + String.join(", ", unreadable), "write it as 'interval <n> <unit>'"));
        } else {
          results.add(CheckResult.ok("retention", subject, "log and deleted files kept longer than "
              + DeltaIntervals.format(needed)));
        }
      }
    }
    return results;
  }

  /** Delta's default when that already covers what is needed, else twice what is needed. */
  private static Duration suggested(String key, Duration needed) {
    Duration fallback = key.equals(LOG_RETENTION) ? DEFAULT_LOG_RETENTION
        : DEFAULT_DELETED_FILE_RETENTION;
    return fallback.compareTo(needed) > 0 ? fallback : needed.multipliedBy(2);
  }

  // ----------------------------------------------------------------------------------------------
  // drift

  private List<CheckResult> jobDrift(WorkspaceConfig ws, WorkspaceJobs primary,
      WorkspaceJobs secondary) {
    Set<String> names = new LinkedHashSet<>();
    ws.groups().stream().flatMap(g -> g.workflow().stream()).forEach(names::add);
    names.add(jobNames.sender());
    names.add(jobNames.receiver());
    List<CheckResult> results = new ArrayList<>();
    for (String name : names) {
      Optional<JobFacts> p = single(primary, name);
      Optional<JobFacts> s = single(secondary, name);
      if (p.isEmpty() || s.isEmpty()) {
        continue; // reported by the permission check
      }
      String subject = ws.name() + " " + name;
      Set<String> keys = new TreeSet<>(p.get().settings().keySet());
      keys.addAll(s.get().settings().keySet());
      List<String> differences = new ArrayList<>();
      for (String key : keys) {
        String a = p.get().settings().get(key);
        String b = s.get().settings().get(key);
        if (!Objects.equals(a, b)) {
          differences.add(key + ": primary " + quoted(a) + ", secondary " + quoted(b));
        }
      }
      if (differences.isEmpty()) {
        results.add(CheckResult.ok("job-drift", subject, "tasks, parameters and libraries match ("
            + keys.size() + " fields)"));
      } else {
        String named = String.join("; ", differences.subList(0,
            Math.min(MAX_NAMED_DIFFERENCES, differences.size())));
        int more = differences.size() - MAX_NAMED_DIFFERENCES;
        results.add(CheckResult.fail("job-drift", subject, differences.size()
            + " field(s) differ between the workspaces: " + named
            + (more > 0 ? "; and " + more + " more" : ""),
            "deploy the same bundle to both targets (databricks bundle deploy -t primary, then"
                + " -t secondary): after a failover the secondary runs its own copy"));
      }
    }
    return results;
  }

  private static Optional<JobFacts> single(WorkspaceJobs api, String name) {
    try {
      List<JobFacts> found = api.jobs(name);
      return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String quoted(String value) {
    return value == null ? "(absent)" : "'" + value + "'";
  }

  private List<CheckResult> schemaDrift(RegionTables tables, WorkspaceConfig ws,
      Region region) {
    Placement placement = Placement.of(ws);
    List<CheckResult> results = new ArrayList<>();
    for (SyncGroup group : ws.groups()) {
      for (TableMapping mapping : group.tables()) {
        TableLocation table = own(placement, mapping, region);
        Optional<TableFacts> facts = tables.table(table);
        if (facts.isEmpty()) {
          continue; // reported by the table check
        }
        String subject = group.name() + " " + table;
        TableLocation.Path staged = placement.staging(group, mapping.source());
        Optional<TableFacts> copy = tables.table(staged);
        if (copy.isEmpty()) {
          results.add(CheckResult.warn("schema", subject, "no staged copy at " + staged
              + " to compare with", "run the sender once (databricks bundle run -t primary "
                  + jobNames.sender() + "), then run preflight again"));
          continue;
        }
        List<String> mine = facts.get().columns();
        List<String> theirs = copy.get().columns();
        if (mine.equals(theirs)) {
          results.add(CheckResult.ok("schema", subject, "same " + mine.size()
              + " columns as the staged copy"));
        } else {
          List<String> onlyMine = new ArrayList<>(mine);
          onlyMine.removeAll(theirs);
          List<String> onlyTheirs = new ArrayList<>(theirs);
          onlyTheirs.removeAll(mine);
          String differs = (onlyMine.isEmpty() && onlyTheirs.isEmpty())
              ? "same columns in another order: " + mine + " vs " + theirs
              : "only here: " + onlyMine + ", only in the staged copy: " + onlyTheirs;
          results.add(CheckResult.warn("schema", subject, "schema differs from the staged copy at "
              + staged + " (the primary's, as last sent): " + differs,
              region == Region.PRIMARY
                  ? "the next send stages the new schema; if this stays, check the sender's runs"
                  : "the next receive applies the staged schema; if this stays, someone altered"
                      + " the secondary table: undo it"));
        }
      }
    }
    return results;
  }

  /** The tables as read at their first use in one run. */
  private static final class ReadOnce implements RegionTables {
    private final RegionTables tables;
    private final Map<TableLocation, Optional<TableFacts>> read = new java.util.HashMap<>();

    ReadOnce(RegionTables tables) {
      this.tables = tables;
    }

    @Override
    public Optional<TableFacts> table(TableLocation location) {
      return read.computeIfAbsent(location, tables::table);
    }

    @Override
    public boolean creatable(TableLocation location) {
      return tables.creatable(location);
    }
  }

  private static String join(String base, String child) {
    return (base.endsWith("/") ? base : base + "/") + child;
  }

  static String name(Region region) {
    return region.name().toLowerCase(Locale.ROOT);
  }
}
