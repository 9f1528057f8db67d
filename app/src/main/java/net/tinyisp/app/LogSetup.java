package net.tinyisp.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Structured logs: {@code text} is one line per event with key=value pairs (for journald and humans), {@code json}
 * is one JSON object per line (for Loki/Elastic). Chosen by {@code TINYISP_LOG_FORMAT} or the config's
 * {@code log.format}.
 */
public final class LogSetup {
  private LogSetup() {}

  public static void configure(String format) {
    String resource = switch (format == null ? "text" : format.toLowerCase()) {
      case "json" -> "logback-json.xml";
      case "text" -> "logback-text.xml";
      default -> throw new IllegalArgumentException("log format '" + format + "': expected text or json");
    };
    if (System.getProperty("logback.configurationFile") != null) {
      return; // the operator's own logback file wins
    }
    URL url = LogSetup.class.getClassLoader().getResource(resource);
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) || url == null) {
      return;
    }
    ctx.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    try {
      configurator.doConfigure(url);
    } catch (JoranException e) {
      System.err.println("tinyisp: cannot configure logging from " + resource + ": " + e.getMessage());
    }
  }
}
