package net.tinyisp.subscribers.caps;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.radius.client.CoaListener;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.AccountingRecord;
import net.tinyisp.radius.server.NasClient;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.subscribers.accounting.AccountingConfig;
import net.tinyisp.subscribers.accounting.JdbcAccountingSink;
import net.tinyisp.subscribers.accounting.SessionLookup;
import net.tinyisp.subscribers.cli.RadiusStoreCommand;
import net.tinyisp.subscribers.model.PasswordHash;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import net.tinyisp.subscribers.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Data cap -> CoA-Request, plan change -> CoA, operator disconnect, against the radius module's NAS-side CoA
 * listener on loopback: real datagrams, Message-Authenticator required by the listener, answers recorded.
 */
class CapCoaIT {
  static final String SECRET = "coa-secret";
  static final Instant T0 = Instant.parse("2026-06-10T12:00:00Z");

  @TempDir Path dir;
  Database db;
  JdbcSubscriberStore store;
  JdbcAccountingSink sink;
  CoaListener nas;
  RadiusNasCommands commands;
  final List<CoaListener.DynamicAuthorizationRequest> received = new CopyOnWriteArrayList<>();
  final MutableClock clock = new MutableClock(T0);

  @BeforeEach
  void start() throws Exception {
    db = Database.open(TestDatabases.sqlite(dir.resolve("data")), 4);
    store = new JdbcSubscriberStore(db);
    store.addPlan(new Plan("home", 10240, 5120, 0, 0, 300, 0, List.of()));
    store.addPlan(new Plan("fast", 102400, 51200, 0, 0, 300, 0, List.of()));
    store.addSubscriber(new Subscriber("alice", new StoredPassword.Hashed(PasswordHash.pbkdf2("pw", 1000)), false,
        "home", null, null, true, 1_000_000));
    // the NAS: acknowledges requests for the session it has, NAKs others with 503 Session-Context-Not-Found
    nas = new CoaListener(HostPort.parse("127.0.0.1:0", 0), List.of(NasClient.of("127.0.0.1", SECRET)),
        Dictionary.standard(), req -> {
          received.add(req);
          return "sess-1".equals(req.first("Acct-Session-Id")) ? CoaListener.Decision.ack()
              : CoaListener.Decision.nak(503);
        });
    nas.start();
    commands = RadiusNasCommands.of(List.of(NasSecret.parse("127.0.0.1=" + SECRET)), nas.address().getPort(),
        Duration.ofMillis(300), 2, Dictionary.standard());
    AccountingConfig cfg = AccountingConfig.defaults();
    CapEnforcer enforcer = new CapEnforcer(store, new CapLedger(db), new SessionLookup(db), new CoaLog(db),
        CapPolicy.defaults(), cfg.usagePeriod(), commands, clock, Runnable::run, new SimpleMeterRegistry());
    sink = new JdbcAccountingSink(db, store, cfg, new SimpleMeterRegistry(), enforcer);
  }

  @AfterEach
  void stop() {
    if (sink != null) sink.close();
    if (commands != null) commands.close();
    if (nas != null) nas.close();
    if (db != null) db.close();
  }

  void acct(String session, Instant t, String status, long in, long out) throws Exception {
    clock.set(t);
    Map<String, List<String>> a = new LinkedHashMap<>();
    a.put("Acct-Status-Type", List.of(status));
    a.put("User-Name", List.of("alice"));
    a.put("Acct-Session-Id", List.of(session));
    a.put("NAS-IP-Address", List.of("127.0.0.1"));
    a.put("Acct-Input-Octets", List.of(Long.toString(in)));
    a.put("Acct-Output-Octets", List.of(Long.toString(out)));
    sink.record(new AccountingRecord(t, "127.0.0.1", status, a));
  }

  List<String> coaLog() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT kind, reason, result, detail FROM coa_log ORDER BY id")) {
      while (r.next()) out.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4));
    }
    return out;
  }

  @Test
  void passingTheCapSendsACoaRequestTheNasAcknowledges() throws Exception {
    acct("sess-1", T0, "Start", 0, 0);
    acct("sess-1", T0.plusSeconds(300), "Interim-Update", 400_000, 700_000);
    assertThat(received).hasSize(1);
    CoaListener.DynamicAuthorizationRequest req = received.getFirst();
    assertThat(req.code()).isEqualTo(Code.COA_REQUEST);
    assertThat(req.first("User-Name")).isEqualTo("alice");
    assertThat(req.first("RP-Downstream-Speed-Limit")).isEqualTo("1024");
    assertThat(req.first("RP-Upstream-Speed-Limit")).isEqualTo("512");
    assertThat(req.first("Message-Authenticator")).as("RFC 5176 request signed").isNotNull();
    assertThat(coaLog()).containsExactly("CoA-Request CAP ACK null");
  }

  @Test
  void aNakWithErrorCauseAndATimeoutAreRecorded() throws Exception {
    acct("sess-2", T0, "Start", 0, 0);
    acct("sess-2", T0.plusSeconds(300), "Interim-Update", 600_000, 600_000);
    assertThat(coaLog()).containsExactly("CoA-Request CAP NAK Error-Cause=503");

    int deadPort;
    try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    try (RadiusNasCommands dead = RadiusNasCommands.of(List.of(NasSecret.parse("127.0.0.1=" + SECRET)), deadPort,
        Duration.ofMillis(100), 1, Dictionary.standard())) {
      NasCommands.Answer a = dead.disconnect(new NasCommands.NasSession("127.0.0.1", "alice", "sess-2"));
      assertThat(a.result()).isEqualTo(NasCommands.Result.TIMEOUT);
      NasCommands.Answer none = dead.disconnect(new NasCommands.NasSession("203.0.113.9", "alice", "x"));
      assertThat(none.result()).isEqualTo(NasCommands.Result.ERROR);
      assertThat(none.detail()).contains("no secret");
    }
  }

  String cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new RadiusStoreCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    int exit = cl.execute(args);
    return exit + " " + out;
  }

  @Test
  void operatorPlanChangeCoaAndDisconnectFromTheCli() throws Exception {
    acct("sess-1", T0, "Start", 0, 0);
    String data = dir.resolve("data").toString();
    String port = Integer.toString(nas.address().getPort());
    String r = cli("subscriber", "set-plan", "alice", "fast", "--coa", "--client", "127.0.0.1=" + SECRET,
        "--coa-port", port, "--data-dir", data);
    assertThat(r).startsWith("0 ").contains("CoA-Request: ACK");
    assertThat(received.getLast().first("RP-Downstream-Speed-Limit")).isEqualTo("102400");

    assertThat(cli("coa", "alice", "--client", "127.0.0.0/8=" + SECRET, "--coa-port", port, "--data-dir", data))
        .startsWith("0 ").contains("CoA-Request: ACK");
    assertThat(cli("disconnect", "alice", "--client", "127.0.0.1=" + SECRET, "--coa-port", port, "--data-dir",
        data)).startsWith("0 ").contains("Disconnect-Request: ACK");
    assertThat(received.getLast().code()).isEqualTo(Code.DISCONNECT_REQUEST);
    assertThat(received.getLast().first("Acct-Session-Id")).isEqualTo("sess-1");
    assertThat(cli("subscriber", "disable", "alice", "--disconnect", "--client", "127.0.0.1=wrong-secret",
        "--coa-port", port, "--timeout-ms", "100", "--attempts", "1", "--data-dir", data))
        .as("a wrong secret: the NAS drops the request, we time out").startsWith("1 ").contains("TIMEOUT");
    assertThat(coaLog()).containsExactly("CoA-Request PLAN_CHANGE ACK null", "CoA-Request OPERATOR ACK null",
        "Disconnect-Request OPERATOR ACK null",
        coaLog().getLast()).last().asString().startsWith("Disconnect-Request OPERATOR TIMEOUT");
  }
}
