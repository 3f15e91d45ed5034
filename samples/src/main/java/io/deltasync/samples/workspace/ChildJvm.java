package io.deltasync.samples.workspace;

import io.deltasync.samples.LocalSpark;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How this JVM starts another like it: the demo's killed run and the simulated workspaces. */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * The java command of this JVM, up to the main class: same binary, classpath, {@code --add-opens}
   * flags and logging config, the local Spark settings, and {@code maxHeap} (e.g. {@code 768m}).
   */
  public static List<String> command(String maxHeap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-Dlog4j2.configurationFile")) {
        command.add(arg);
      }
    }
    command.add("-Xmx" + maxHeap);
    command.add("-Dspark.ui.enabled=false");
    LocalSpark.SETTINGS.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }
}
