package net.tinyisp.app;

import java.nio.file.Path;
import net.tinyisp.admin.AdminConfig;
import net.tinyisp.dns.config.Dns64Config;

/**
 * The one YAML file: a section per component. A missing section means that component does not run, except admin,
 * which runs on loopback unless disabled. Keys are kebab-case, as in bind and Jool.
 */
public record TinyispConfig(String dataDir, LogConfig log, AdminConfig admin, Dns64Config dns64) {

  public TinyispConfig {
    dataDir = dataDir == null || dataDir.isBlank() ? "./data" : dataDir;
    log = log == null ? new LogConfig(null, null) : log;
    admin = admin == null ? AdminConfig.defaults() : admin;
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  /** @param format {@code text} (default) or {@code json}; @param level root level, default INFO */
  public record LogConfig(String format, String level) {
    public LogConfig {
      format = format == null ? "text" : format;
      level = level == null ? "INFO" : level.toUpperCase();
      if (!format.equals("text") && !format.equals("json")) {
        throw new IllegalArgumentException("log.format '" + format + "': expected text or json");
      }
      if (!level.matches("TRACE|DEBUG|INFO|WARN|ERROR|OFF")) {
        throw new IllegalArgumentException("log.level '" + level + "': expected one of trace, debug, info, warn, error, off");
      }
    }
  }
}
