package net.tinyisp.app.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyisp pppoe reset-counters [--user U]}: new accounting period, session untouched. */
@Command(name = "reset-counters", mixinStandardHelpOptions = true,
    description = "Close each session's accounting period (Stop) and open a new one (Start) without dropping it.")
public final class PppoeResetCountersCommand implements Callable<Integer> {
  @Option(names = "--user", paramLabel = "NAME", description = "only this subscriber (default: every session)") String user;

  @Option(names = "--admin", paramLabel = "ADDR:PORT", defaultValue = "${env:TINYISP_ADMIN:-127.0.0.1:9053}",
      description = "admin API of the running tinyisp (default ${DEFAULT-VALUE})")
  String admin;

  @Override
  public Integer call() throws Exception {
    String q = user == null ? "" : "?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
    var r = new AdminClient(admin).post("/api/pppoe/reset-counters" + q);
    System.out.println(r.body());
    return r.statusCode() == 200 ? 0 : 1;
  }
}
