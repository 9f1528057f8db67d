package net.tinyisp.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyisp pppoe sessions}: the live session table, like accel-cmd's "show sessions". */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "Show the sessions of a running access concentrator.")
public final class PppoeSessionsCommand implements Callable<Integer> {
  @Option(names = "--admin", paramLabel = "ADDR:PORT", defaultValue = "${env:TINYISP_ADMIN:-127.0.0.1:9053}", description = "admin API of the running tinyisp (default ${DEFAULT-VALUE})")
  String admin;

  @Override
  public Integer call() throws Exception {
    var r = new AdminClient(admin).get("/api/pppoe/sessions");
    if (r.statusCode() != 200) {
      System.err.println("tinyisp: " + r.body());
      return 1;
    }
    JsonNode sessions = new ObjectMapper().readTree(r.body()).get("sessions");
    String fmt = "%-6s %-16s %-17s %-22s %-22s %-15s %-9s %12s %12s%n";
    System.out.printf(fmt, "sid", "user", "mac", "ipv6 /64", "delegated", "rate down/up", "uptime", "rx bytes", "tx bytes");
    for (JsonNode s : sessions) {
      String rate = s.get("downKbps").isNull() ? "-" : s.get("downKbps").asLong() + "/" + s.get("upKbps").asLong() + "k";
      long up = s.get("uptimeSeconds").asLong();
      System.out.printf(fmt, s.get("sessionId").asInt(), s.get("username").asText(), s.get("mac").asText(),
          s.get("link").asText(), s.get("delegated").asText(), rate,
          String.format("%02d:%02d:%02d", up / 3600, up / 60 % 60, up % 60), s.get("rxOctets").asLong(), s.get("txOctets").asLong());
    }
    return 0;
  }
}
