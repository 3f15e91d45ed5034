package io.deltasync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.errors.SyncErrors;
import io.deltasync.runtime.Cloners;
import io.deltasync.table.TableLocation;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code deltasync clone}: one incremental, atomic deep clone of a table as of a version. */
@Command(
    name = "clone",
    description = "Deep-clones a Delta table as of a version into a target, copying only the"
        + " files the target lacks, in one atomic commit.")
public final class CloneCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // Not mixinStandardHelpOptions: its -V/--version would clash with the source --version.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--source", required = true, paramLabel = "<table-or-path>",
      description = "catalog.schema.table or a storage path")
  String source;

  @Option(names = "--version", paramLabel = "N",
      description = "the source version to clone (default: the latest)")
  Long version;

  @Option(names = "--target", required = true, paramLabel = "<table-or-path>",
      description = "catalog.schema.table or a storage path")
  String target;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
      description = "files copied in parallel by the portable cloner (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--force",
      description = "replace a target that is a Delta table but not a clone of the source")
  boolean force;

  @Option(names = "--json", description = "print the result as JSON (DEEP CLONE's figures)")
  boolean json;

  @Override
  public Integer call() throws JsonProcessingException {
    if (threads < 1) {
      throw SyncErrors.usage("--threads must be at least 1, got " + threads);
    }
    if (version != null && version < 0) {
      throw SyncErrors.usage("--version must be a version number >= 0, got " + version);
    }
    TableLocation from = TableLocation.parse(source);
    TableLocation to = TableLocation.parse(target);
    TableCloner cloner = Cloners.forRuntime();
    long asOf = version != null ? version : cloner.latestVersion(from);
    CloneResult result =
        cloner.clone(from, asOf, to, new CloneOptions(threads, force));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(result.asDeepCloneRow()));
    } else if (result.committed()) {
      out.printf("Cloned %s version %d into %s version %d: copied %d files (%d bytes),"
              + " removed %d files (%d bytes); source %d files (%d bytes); %d ms%n",
          from, asOf, to, result.targetVersion().getAsLong(), result.numCopiedFiles(),
          result.copiedFilesSize(), result.numRemovedFiles(), result.removedFilesSize(),
          result.sourceNumOfFiles(), result.sourceTableSize(), result.duration().toMillis());
    } else {
      out.printf("%s already holds %s version %d: nothing copied, nothing committed%n",
          to, from, asOf);
    }
    out.flush();
    return ExitCodes.DONE;
  }
}
