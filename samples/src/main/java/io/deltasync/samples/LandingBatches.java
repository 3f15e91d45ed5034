package io.deltasync.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Deterministic landing batches for sample_workflow_1, as {@code file_transfer.sh} drops them in
 * both regions: batch {@code n} is {@code batch_000n.csv} with five new orders and, from batch 2
 * on, a status change of an order of the batch before. Files are written under a hidden temporary
 * name and moved into place, so a running workflow never reads half a file.
 */
public final class LandingBatches {

  static final String HEADER = "order_id,customer,amount,status";
  private static final List<String> CUSTOMERS = List.of(" Alice", "BOB ", "carol");
  static final int ORDERS_PER_BATCH = 5;

  private LandingBatches() {}

  /** The file name of batch {@code n}. */
  public static String fileName(int batch) {
    if (batch < 1 || batch > 9999) {
      throw new IllegalArgumentException("batch numbers run from 1 to 9999, got " + batch);
    }
    return String.format(Locale.ROOT, "batch_%04d.csv", batch);
  }

  /** The lines of batch {@code n}, header first. */
  public static List<String> lines(int batch) {
    fileName(batch);
    Stream.Builder<String> lines = Stream.builder();
    lines.add(HEADER);
    for (long id = (batch - 1L) * ORDERS_PER_BATCH + 1; id <= (long) batch * ORDERS_PER_BATCH; id++) {
      lines.add(order(id, "open"));
    }
    if (batch > 1) {
      lines.add(order((batch - 1L) * ORDERS_PER_BATCH - 3, "shipped"));
    }
    return lines.build().toList();
  }

  /** Writes batch {@code n} into the folder (created if needed) and returns the file. */
  public static Path write(Path landingDir, int batch) {
    try {
      Files.createDirectories(landingDir);
      Path target = landingDir.resolve(fileName(batch));
      Path temp = landingDir.resolve("." + fileName(batch) + ".tmp");
      Files.write(temp, lines(batch), StandardCharsets.UTF_8);
      return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write landing batch " + batch + " into " + landingDir
          + ": " + e.getMessage() + "; check the folder is writable", e);
    }
  }

  /** The number of the next batch: one more than the highest {@code batch_NNNN.csv} present. */
  public static int next(Path landingDir) {
    if (!Files.isDirectory(landingDir)) {
      return 1;
    }
    try (Stream<Path> files = Files.list(landingDir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.matches("batch_\\d{4}\\.csv"))
          .mapToInt(name -> Integer.parseInt(name.substring(6, 10)))
          .max().orElse(0) + 1;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list landing folder " + landingDir + ": " + e.getMessage(), e);
    }
  }

  private static String order(long id, String status) {
    long cents = (id * 1731) % 10_000 + 100;
    return id + "," + CUSTOMERS.get((int) (id % CUSTOMERS.size())) + ","
        + cents / 100 + "." + String.format(Locale.ROOT, "%02d", cents % 100) + "," + status;
  }
}
