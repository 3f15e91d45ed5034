package io.deltasync.notify;

import java.util.Collection;

/** Turns a failure into a one-line reason for a WARN log, with every secret value masked. */
final class Reasons {

  static final String MASK = "****";

  private Reasons() {}

  /**
   * The messages of the cause chain, joined with {@code "; caused by "}, each secret replaced by
   * {@link #MASK}. Stack traces are left out on purpose: a best-effort step that failed is a
   * WARN, not an error report, and a library's message is the only place a secret could hide.
   */
  static String of(Throwable failure, Collection<String> secrets) {
    StringBuilder reason = new StringBuilder();
    Throwable current = failure;
    int depth = 0;
    while (current != null && depth < 5) {
      if (depth > 0) {
        reason.append("; caused by ");
      }
      String message = current.getMessage();
      reason.append(current.getClass().getSimpleName());
      if (message != null && !message.isBlank()) {
        reason.append(": ").append(message.strip().replace('\n', ' ').replace('\r', ' '));
      }
      current = current.getCause() == current ? null : current.getCause();
      depth++;
    }
    return mask(reason.toString(), secrets);
  }

  static String mask(String text, Collection<String> secrets) {
    String masked = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        masked = masked.replace(secret, MASK);
      }
    }
    return masked;
  }
}
