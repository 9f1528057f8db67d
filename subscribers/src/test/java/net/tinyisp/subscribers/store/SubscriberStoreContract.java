package net.tinyisp.subscribers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.subscribers.model.PasswordHash;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.PlanReplyItem;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CRUD behaviour every JDBC dialect must show; subclasses supply the URL. */
abstract class SubscriberStoreContract {
  protected String url;
  protected Database db;
  protected JdbcSubscriberStore store;

  protected abstract String newUrl() throws Exception;

  protected void dropUrl(String url) throws Exception {}

  @BeforeEach
  void open() throws Exception {
    url = newUrl();
    db = Database.open(url, 4);
    store = new JdbcSubscriberStore(db);
  }

  @AfterEach
  void close() throws Exception {
    if (db != null) db.close();
    dropUrl(url);
  }

  static Plan blogPlan() {
    // the blog's post-auth reply: 10240 down / 5120 up kbit/s, interim 300 s
    return new Plan("home-10m", 10240, 5120, 20480, 0, 300, 86400,
        List.of(new PlanReplyItem("Idle-Timeout", "600"), new PlanReplyItem("RP-Max-Sessions-Per-User", "1")));
  }

  @Test
  void schemaIsMigratedToTheLatestVersionAndReopeningIsANoOp() throws Exception {
    assertThat(db.schemaVersion()).isEqualTo(Migrations.latest());
    db.close();
    db = Database.open(url, 2);
    store = new JdbcSubscriberStore(db);
    assertThat(db.schemaVersion()).isEqualTo(Migrations.latest());
  }

  @Test
  void planRoundTripsWithDefaultsAndReplyItemsInOrder() throws Exception {
    store.addPlan(blogPlan());
    Plan p = store.plan("home-10m").orElseThrow();
    assertThat(p).isEqualTo(blogPlan());
    assertThat(p.upCeilKbps()).isEqualTo(5120); // ceiling defaults to the rate
    assertThat(p.replyItems()).extracting(PlanReplyItem::attribute)
        .containsExactly("Idle-Timeout", "RP-Max-Sessions-Per-User");
    assertThatThrownBy(() -> store.addPlan(blogPlan())).isInstanceOf(StoreException.class)
        .hasMessageContaining("already exists");
    store.putPlan(blogPlan().withReplyItems(List.of()));
    assertThat(store.plan("home-10m").orElseThrow().replyItems()).isEmpty();
    store.addPlan(Plan.of("capped", 1024, 512));
    assertThat(store.plans()).extracting(Plan::name).containsExactly("capped", "home-10m");
    assertThat(store.plan("nope")).isEmpty();
  }

  @Test
  void subscriberCrudWithHashedAndCleartextPasswords() throws Exception {
    store.addPlan(blogPlan());
    store.addPlan(Plan.of("slow", 1024, 512));
    Subscriber alice = new Subscriber("alice", new StoredPassword.Hashed(PasswordHash.pbkdf2("s3cret", 1000)),
        false, "home-10m", IpPrefix.parse("2001:db8:100::/64"), IpPrefix.parse("2001:db8:2000::/48"), true,
        100_000_000_000L);
    Subscriber bob = new Subscriber("bob@isp.example", new StoredPassword.Cleartext("chap-pw"), true, "slow",
        null, null, true, 0);
    store.addSubscriber(alice);
    store.addSubscriber(bob);

    Subscriber a = store.subscriber("alice").orElseThrow();
    assertThat(a.password().matches("s3cret")).isTrue();
    assertThat(a.password().matches("wrong")).isFalse();
    assertThat(a.password()).isInstanceOf(StoredPassword.Hashed.class);
    assertThat(a.framedIpv6Prefix()).isEqualTo(IpPrefix.parse("2001:db8:100::/64"));
    assertThat(a.delegatedIpv6Prefix()).isEqualTo(IpPrefix.parse("2001:db8:2000::/48"));
    assertThat(a.dataCapBytes()).isEqualTo(100_000_000_000L);
    assertThat(store.subscriber("bob@isp.example").orElseThrow()).isEqualTo(bob);

    assertThatThrownBy(() -> store.addSubscriber(alice)).hasMessageContaining("already exists");
    assertThatThrownBy(() -> store.addSubscriber(alice.withPlan("gold").withEnabled(true)))
        .hasMessageContaining("plan gold does not exist");

    assertThat(store.setPlan("alice", "slow")).isTrue();
    assertThat(store.subscriber("alice").orElseThrow().plan()).isEqualTo("slow");
    assertThatThrownBy(() -> store.setPlan("alice", "gold")).hasMessageContaining("does not exist");
    assertThat(store.setPlan("nobody", "slow")).isFalse();

    assertThat(store.setEnabled("alice", false)).isTrue();
    assertThat(store.subscriber("alice").orElseThrow().enabled()).isFalse();

    assertThat(store.subscribers(null, 10)).extracting(Subscriber::username)
        .containsExactly("alice", "bob@isp.example");
    assertThat(store.subscribers("alice", 10)).extracting(Subscriber::username).containsExactly("bob@isp.example");
    assertThat(store.subscribers(null, 1)).hasSize(1);

    store.putSubscriber(bob.withPlan("home-10m"));
    assertThat(store.subscriber("bob@isp.example").orElseThrow().plan()).isEqualTo("home-10m");
    assertThat(store.subscriber("carol")).isEmpty();
  }
}
