package net.tinyisp.ppp.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.tinyisp.ppp.auth.ChapPacket;
import net.tinyisp.ppp.lcp.AuthMethod;
import org.junit.jupiter.api.Test;

/** The subscriber-side link against the access concentrator's, both pure, the way the load client uses them. */
class ClientLinkTest {
  private final List<Object> acEvents = new ArrayList<>();
  private final List<ClientEvent> clientEvents = new ArrayList<>();

  private void run(PppLink ac, ClientLink client, String password) {
    List<LinkEvent> fromAc = new ArrayList<>(ac.start(0));
    List<ClientEvent> fromClient = new ArrayList<>(client.start(0));
    for (int round = 0; round < 50 && (!fromAc.isEmpty() || !fromClient.isEmpty()); round++) {
      List<LinkEvent> nextAc = new ArrayList<>();
      List<ClientEvent> nextClient = new ArrayList<>();
      for (LinkEvent e : fromAc) {
        acEvents.add(e);
        switch (e) {
          case LinkEvent.Send s -> nextClient.addAll(client.receive(s.protocol(), s.payload(), 0));
          case LinkEvent.ChapCredentials c -> nextAc.addAll(ac.authenticated(java.util.Arrays.equals(c.response(),
              ChapPacket.md5Response(c.identifier(), password.getBytes(StandardCharsets.UTF_8), c.challenge())), null, 0));
          case LinkEvent.PapCredentials p -> nextAc.addAll(ac.authenticated(
              new String(p.password(), StandardCharsets.UTF_8).equals(password), null, 0));
          default -> { }
        }
      }
      for (ClientEvent e : fromClient) {
        clientEvents.add(e);
        if (e instanceof ClientEvent.Send s) nextAc.addAll(ac.receive(s.protocol(), s.payload(), 0));
      }
      fromAc = nextAc;
      fromClient = nextClient;
    }
  }

  @Test
  void chapClientComesUp() {
    PppLink ac = new PppLink(LinkConfig.defaults("bng"), new SplittableRandom(1));
    ClientLink client = new ClientLink("alice", "secret".getBytes(StandardCharsets.UTF_8),
        List.of(AuthMethod.CHAP_MD5, AuthMethod.PAP), new SplittableRandom(2));
    run(ac, client, "secret");
    assertThat(client.isUp()).isTrue();
    assertThat(ac.phase()).isEqualTo(Phase.NETWORK);
    assertThat(clientEvents).anySatisfy(e -> assertThat(e).isInstanceOf(ClientEvent.Up.class));
  }

  @Test
  void papOnlyClientNaksAndComesUp() {
    PppLink ac = new PppLink(LinkConfig.defaults("bng"), new SplittableRandom(1));
    ClientLink client = new ClientLink("alice", "secret".getBytes(StandardCharsets.UTF_8), List.of(AuthMethod.PAP),
        new SplittableRandom(3));
    run(ac, client, "secret");
    assertThat(client.isUp()).isTrue();
    assertThat(acEvents).anySatisfy(e -> assertThat(e).isInstanceOf(LinkEvent.PapCredentials.class));
  }

  @Test
  void wrongPasswordIsReportedAndTheLinkEnds() {
    PppLink ac = new PppLink(LinkConfig.defaults("bng"), new SplittableRandom(1));
    ClientLink client = new ClientLink("alice", "nope".getBytes(StandardCharsets.UTF_8),
        List.of(AuthMethod.CHAP_MD5), new SplittableRandom(4));
    run(ac, client, "secret");
    assertThat(client.isUp()).isFalse();
    assertThat(clientEvents).anySatisfy(e -> assertThat(e).isInstanceOf(ClientEvent.AuthFailed.class));
    assertThat(acEvents).contains(new LinkEvent.Finished(TerminateCause.USER_ERROR));
  }
}
