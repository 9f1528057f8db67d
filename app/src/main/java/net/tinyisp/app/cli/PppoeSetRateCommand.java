package net.tinyisp.app.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyisp pppoe set-rate --user U --down 20M --up 5M}: what a CoA does, by hand. */
@Command(name = "set-rate", mixinStandardHelpOptions = true, description = "Change a live session's speed limits at once.")
public final class PppoeSetRateCommand implements Callable<Integer> {
  @Option(names = "--user", required = true, paramLabel = "NAME") String user;
  @Option(names = "--down", paramLabel = "RATE", description = "download limit, e.g. 20M, 512k (absent: unlimited)") String down;
  @Option(names = "--up", paramLabel = "RATE", description = "upload limit, e.g. 5M (absent: unlimited)") String up;

  @Option(names = "--admin", paramLabel = "ADDR:PORT", defaultValue = "${env:TINYISP_ADMIN:-127.0.0.1:9053}",
      description = "admin API of the running tinyisp (default ${DEFAULT-VALUE})")
  String admin;

  @Override
  public Integer call() throws Exception {
    StringBuilder q = new StringBuilder("user=").append(URLEncoder.encode(user, StandardCharsets.UTF_8));
    if (down != null) q.append("&down=").append(URLEncoder.encode(down, StandardCharsets.UTF_8));
    if (up != null) q.append("&up=").append(URLEncoder.encode(up, StandardCharsets.UTF_8));
    var r = new AdminClient(admin).post("/api/pppoe/rate?" + q);
    System.out.println(r.body());
    return r.statusCode() == 200 ? 0 : 1;
  }
}
