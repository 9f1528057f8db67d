package net.tinyisp.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyisp pppoe terminate --user U | --session N}: LCP Terminate, PADT, accounting Stop (Admin-Reset). */
@Command(name = "terminate", mixinStandardHelpOptions = true, description = "End sessions of a running access concentrator.")
public final class PppoeTerminateCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--user", paramLabel = "NAME") String user;
    @Option(names = "--session", paramLabel = "ID") Integer session;
  }

  @Option(names = "--admin", paramLabel = "ADDR:PORT", defaultValue = "${env:TINYISP_ADMIN:-127.0.0.1:9053}", description = "admin API of the running tinyisp (default ${DEFAULT-VALUE})")
  String admin;

  @Override
  public Integer call() throws Exception {
    String q = target.user != null ? "user=" + java.net.URLEncoder.encode(target.user, java.nio.charset.StandardCharsets.UTF_8)
        : "session=" + target.session;
    var r = new AdminClient(admin).post("/api/pppoe/terminate?" + q);
    System.out.println(r.body());
    return r.statusCode() == 200 ? 0 : 1;
  }
}
