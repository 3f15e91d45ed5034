package io.deltasync.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log event that reaches the root logger while open (deltasync's, the libraries'),
 * as {@code LEVEL logger - message} lines with any stack trace appended, so a test can assert what
 * was logged and that a secret never was.
 *
 * <pre>{@code
 * try (CapturedLogs logs = CapturedLogs.capture()) {
 *   ...
 *   assertThat(logs.text()).doesNotContain(password);
 * }
 * }</pre>
 */
public final class CapturedLogs implements AutoCloseable {

  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final AbstractAppender appender;

  private CapturedLogs() {
    appender = new AbstractAppender(
        "captured-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        StringBuilder line = new StringBuilder()
            .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
            .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
          StringWriter trace = new StringWriter();
          event.getThrown().printStackTrace(new PrintWriter(trace));
          line.append(System.lineSeparator()).append(trace);
        }
        lines.add(line.toString());
      }
    };
    appender.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    context.updateLoggers();
  }

  public static CapturedLogs capture() {
    return new CapturedLogs();
  }

  /** The captured lines, in order. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The captured lines at one level, e.g. {@code "WARN"}. */
  public List<String> at(String level) {
    return lines().stream().filter(l -> l.startsWith(level + " ")).toList();
  }

  /** Everything captured, one line per event. */
  public String text() {
    return String.join(System.lineSeparator(), lines());
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
