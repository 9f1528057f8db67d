package net.tinyisp.subscribers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tinyisp radius plan|subscriber|import} on the default SQLite store under --data-dir. */
class AdminCliTest {
  @TempDir Path dir;

  Cli.Run run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dir.resolve("data").toString();
    return Cli.run(all);
  }

  @Test
  void planAndSubscriberLifecycle() throws Exception {
    assertThat(run("plan", "add", "home-10m", "--down", "10240", "--up", "5120", "--interim", "300",
        "--reply", "Idle-Timeout=600").exit()).isZero();
    assertThat(run("plan", "add", "fast", "--down", "102400", "--up", "51200").exit()).isZero();
    assertThat(run("plan", "add", "fast", "--down", "1", "--up", "1").err()).contains("already exists");
    assertThat(run("plan", "list").out()).contains("home-10m", "10240", "fast");
    assertThat(run("plan", "show", "home-10m").out()).contains("10240 kbit/s", "Idle-Timeout = 600");
    assertThat(run("plan", "show", "nope").exit()).isEqualTo(1);

    Cli.Run add = run("subscriber", "add", "alice", "--password", "pw1", "--plan", "home-10m",
        "--framed-ipv6-prefix", "2001:db8:1::/64", "--delegated-ipv6-prefix", "2001:db8:100::/48",
        "--data-cap", "100G", "--iterations", "1000");
    assertThat(add.exit()).as(add.err()).isZero();
    Path pw = dir.resolve("pw.txt");
    Files.writeString(pw, "chap-secret\n");
    assertThat(run("subscriber", "add", "bob", "--password-file", pw.toString(), "--plan", "fast", "--chap")
        .exit()).isZero();
    assertThat(run("subscriber", "add", "carol", "--password", "x", "--plan", "missing").err())
        .contains("plan missing does not exist");

    assertThat(run("subscriber", "list").out()).contains("alice", "home-10m", "100.00G", "bob", "fast");
    String show = run("subscriber", "show", "alice").out();
    assertThat(show).contains("hashed (PAP only)", "2001:db8:1::/64", "2001:db8:100::/48", "10240 kbit/s");

    assertThat(run("subscriber", "set-plan", "alice", "fast").exit()).isZero();
    assertThat(run("subscriber", "disable", "bob").exit()).isZero();
    assertThat(run("subscriber", "disable", "nobody").exit()).isEqualTo(1);

    try (Database db = Database.open(Database.defaultUrl(dir.resolve("data")), 2)) {
      JdbcSubscriberStore st = new JdbcSubscriberStore(db);
      var alice = st.subscriber("alice").orElseThrow();
      assertThat(alice.plan()).isEqualTo("fast");
      assertThat(alice.password().matches("pw1")).isTrue();
      assertThat(alice.dataCapBytes()).isEqualTo(100_000_000_000L);
      var bob = st.subscriber("bob").orElseThrow();
      assertThat(bob.enabled()).isFalse();
      assertThat(bob.password()).isEqualTo(new StoredPassword.Cleartext("chap-secret"));
    }
    assertThat(run("subscriber", "enable", "bob").exit()).isZero();
  }

  @Test
  void importAFreeRadiusUsersFile() throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, """
        # the blog's post-auth reply, per user
        user0001  Cleartext-Password := "pass0001"
                  RP-Upstream-Speed-Limit = 5120,
                  RP-Downstream-Speed-Limit = 10240,
                  Acct-Interim-Interval = 300
        user0002  Cleartext-Password := "pass0002"
                  RP-Upstream-Speed-Limit = 5120,
                  RP-Downstream-Speed-Limit = 10240,
                  Acct-Interim-Interval = 300,
                  Framed-IPv6-Prefix = 2001:db8:2::/64,
                  Delegated-IPv6-Prefix = 2001:db8:200::/48
        user0003  Cleartext-Password := "pass0003"
                  RP-Downstream-Speed-Limit = 2048,
                  Idle-Timeout = 600
        locked    Auth-Type := Reject
        DEFAULT   Auth-Type := Reject
        """);
    Cli.Run r = run("import", users.toString(), "--iterations", "1000");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("imported 4 subscribers into 3 plans", "import-10240-5120-i300");
    assertThat(r.err()).contains("DEFAULT entries");

    try (Database db = Database.open(Database.defaultUrl(dir.resolve("data")), 2)) {
      JdbcSubscriberStore st = new JdbcSubscriberStore(db);
      var u1 = st.subscriber("user0001").orElseThrow();
      var u2 = st.subscriber("user0002").orElseThrow();
      assertThat(u1.plan()).isEqualTo(u2.plan()).isEqualTo("import-10240-5120-i300");
      assertThat(u1.password()).isInstanceOf(StoredPassword.Hashed.class);
      assertThat(u1.password().matches("pass0001")).isTrue();
      assertThat(u2.framedIpv6Prefix()).hasToString("2001:db8:2::/64");
      assertThat(u2.delegatedIpv6Prefix()).hasToString("2001:db8:200::/48");
      var plan = st.plan("import-10240-5120-i300").orElseThrow();
      assertThat(plan.downKbps()).isEqualTo(10240);
      assertThat(plan.upKbps()).isEqualTo(5120);
      assertThat(plan.interimInterval()).isEqualTo(300);
      var u3 = st.subscriber("user0003").orElseThrow();
      assertThat(st.plan(u3.plan()).orElseThrow().replyItems()).extracting(i -> i.attribute() + "=" + i.value())
          .containsExactly("Idle-Timeout=600");
      assertThat(st.subscriber("locked").orElseThrow().enabled()).isFalse();
    }

    // --keep-cleartext keeps CHAP working; re-import replaces
    assertThat(run("import", users.toString(), "--keep-cleartext").exit()).isZero();
    try (Database db = Database.open(Database.defaultUrl(dir.resolve("data")), 2)) {
      assertThat(new JdbcSubscriberStore(db).subscriber("user0001").orElseThrow().password())
          .isEqualTo(new StoredPassword.Cleartext("pass0001"));
    }
  }

  @Test
  void aBrokenUsersFileNamesTheLine() throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, "u1 Cleartext-Password := \"x\"\n    No-Such-Attribute = 5\n");
    Cli.Run r = run("import", users.toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("users:2");
  }
}
