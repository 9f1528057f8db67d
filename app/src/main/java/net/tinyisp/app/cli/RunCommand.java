package net.tinyisp.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.tinyisp.app.LogSetup;
import net.tinyisp.app.TinyispConfig;
import net.tinyisp.app.Wiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyisp run [--config FILE]}: every component the file configures, until SIGINT/SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run every component configured in one YAML file (default: the embedded default config).")
public final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config (default: the embedded one)")
  Path config;

  @Override
  public Integer call() throws Exception {
    TinyispConfig cfg = ConfigSource.load(config);
    if (System.getenv("TINYISP_LOG_FORMAT") == null) {
      LogSetup.configure(cfg.log().format());
    }
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.toLevel(cfg.log().level()));
    log.atInfo().addKeyValue("config", ConfigSource.describe(config)).log("starting tinyisp");
    return serve(Wiring.build(cfg));
  }

  /** Starts, then blocks until the JVM is asked to stop; shared by the per-component commands. */
  public static int serve(Wiring.Running running) throws Exception {
    running.services().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping");
      running.close();
      stopped.countDown();
    }, "tinyisp-shutdown"));
    log.info("ready");
    stopped.await();
    return 0;
  }
}
