package net.tinyisp.pppoe.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import net.tinyisp.pppoe.DropReason;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.PppoeFrame;
import net.tinyisp.pppoe.wire.Tag;
import org.junit.jupiter.api.Test;

class DiscoveryServerTest {
  static final MacAddress AC = MacAddress.parse("02:00:00:00:00:01");
  static final MacAddress CPE = MacAddress.parse("52:54:00:12:34:56");
  static final long SEC = 1_000_000_000L;

  private DiscoveryServer server(int maxSessions, List<String> services) {
    return new DiscoveryServer(new DiscoveryConfig("tinyisp-bng", services, maxSessions, 5, 1000,
        "0123456789abcdef0123".getBytes()), AC, new SplittableRandom(3), 0);
  }

  private static Tag hostUniq() {
    return new Tag(Tag.HOST_UNIQ, HexFormat.of().parseHex("2a000000"));
  }

  static PppoeFrame padi(MacAddress src, Tag... extra) {
    List<Tag> tags = new java.util.ArrayList<>(List.of(Tag.text(Tag.SERVICE_NAME, "")));
    tags.addAll(List.of(extra));
    return PppoeFrame.discovery(MacAddress.BROADCAST, src, PppoeFrame.CODE_PADI, 0, tags);
  }

  private static PppoeFrame sent(List<DiscoveryAction> actions) {
    return actions.stream().filter(a -> a instanceof DiscoveryAction.Send).map(a -> ((DiscoveryAction.Send) a).frame())
        .findFirst().orElseThrow();
  }

  private static PppoeFrame padrFor(PppoeFrame pado) {
    return PppoeFrame.discovery(AC, pado.destination(), PppoeFrame.CODE_PADR, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""), pado.tag(Tag.AC_COOKIE), hostUniq()));
  }

  @Test
  void padiGetsPadoWithAcNameCookieAndEchoedTags() {
    Tag relay = new Tag(Tag.RELAY_SESSION_ID, new byte[] {1, 2, 3});
    PppoeFrame pado = sent(server(10, List.of()).handle(padi(CPE, hostUniq(), relay), SEC));
    assertThat(pado.code()).isEqualTo(PppoeFrame.CODE_PADO);
    assertThat(pado.destination()).isEqualTo(CPE);
    assertThat(pado.source()).isEqualTo(AC);
    assertThat(pado.sessionId()).isZero();
    assertThat(pado.tag(Tag.AC_NAME).text()).isEqualTo("tinyisp-bng");
    assertThat(pado.tag(Tag.AC_COOKIE).length()).isEqualTo(20);
    assertThat(pado.tag(Tag.HOST_UNIQ)).isEqualTo(hostUniq());
    assertThat(pado.tag(Tag.RELAY_SESSION_ID)).isEqualTo(relay);
    // and it survives the wire
    byte[] bytes = pado.toBytes();
    assertThat(PppoeFrame.parse(bytes, bytes.length).tags()).isEqualTo(pado.tags());
  }

  @Test
  void padrWithOurCookieOpensASessionAndARetransmittedPadrGetsTheSameOne() {
    DiscoveryServer s = server(10, List.of());
    PppoeFrame pado = sent(s.handle(padi(CPE, hostUniq()), SEC));
    List<DiscoveryAction> first = s.handle(padrFor(pado), 2 * SEC);
    PppoeFrame pads = sent(first);
    assertThat(pads.code()).isEqualTo(PppoeFrame.CODE_PADS);
    assertThat(pads.sessionId()).isBetween(1, 0xfffe);
    assertThat(first).contains(new DiscoveryAction.SessionOpened(CPE, pads.sessionId(), ""));
    List<DiscoveryAction> again = s.handle(padrFor(pado), 3 * SEC);
    assertThat(sent(again).sessionId()).isEqualTo(pads.sessionId());
    assertThat(again).hasSize(1);
    assertThat(s.sessionCount()).isEqualTo(1);
  }

  @Test
  void aCookieFromAnotherMacOrTooOldIsRefused() {
    DiscoveryServer s = server(10, List.of());
    PppoeFrame pado = sent(s.handle(padi(CPE), SEC));
    MacAddress spoofed = MacAddress.parse("52:54:00:00:00:99");
    PppoeFrame padr = PppoeFrame.discovery(AC, spoofed, PppoeFrame.CODE_PADR, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""), pado.tag(Tag.AC_COOKIE)));
    assertThat(s.handle(padr, 2 * SEC)).containsExactly(new DiscoveryAction.Drop(DropReason.BAD_COOKIE));
    assertThat(s.handle(padrFor(pado), 10 * 60 * SEC)).containsExactly(new DiscoveryAction.Drop(DropReason.BAD_COOKIE));
    assertThat(s.sessionCount()).isZero();
  }

  @Test
  void sessionLimitAnswersWithAcSystemError() {
    DiscoveryServer s = server(1, List.of());
    s.handle(padrFor(sent(s.handle(padi(CPE), SEC))), SEC);
    MacAddress other = MacAddress.parse("52:54:00:00:00:02");
    PppoeFrame pads = sent(s.handle(padrFor(sent(s.handle(padi(other), SEC))), SEC));
    assertThat(pads.sessionId()).isZero();
    assertThat(pads.tag(Tag.AC_SYSTEM_ERROR)).isNotNull();
  }

  @Test
  void padtFromTheOwnerClosesAndFromOthersIsDropped() {
    DiscoveryServer s = server(10, List.of());
    int id = sent(s.handle(padrFor(sent(s.handle(padi(CPE), SEC))), SEC)).sessionId();
    PppoeFrame foreign = PppoeFrame.discovery(AC, MacAddress.parse("52:54:00:00:00:07"), PppoeFrame.CODE_PADT, id, List.of());
    assertThat(s.handle(foreign, SEC)).containsExactly(new DiscoveryAction.Drop(DropReason.PADT_UNKNOWN_SESSION));
    PppoeFrame padt = PppoeFrame.discovery(AC, CPE, PppoeFrame.CODE_PADT, id, List.of());
    assertThat(s.handle(padt, SEC)).containsExactly(new DiscoveryAction.SessionClosedByPeer(CPE, id));
    assertThat(s.sessionCount()).isZero();
  }

  @Test
  void terminateSendsPadtToTheClient() {
    DiscoveryServer s = server(10, List.of());
    int id = sent(s.handle(padrFor(sent(s.handle(padi(CPE), SEC))), SEC)).sessionId();
    PppoeFrame padt = sent(s.terminate(id, "Administrative reset"));
    assertThat(padt.code()).isEqualTo(PppoeFrame.CODE_PADT);
    assertThat(padt.destination()).isEqualTo(CPE);
    assertThat(padt.sessionId()).isEqualTo(id);
    assertThat(s.terminate(id, null)).isEmpty();
  }

  @Test
  void padiFloodFromOneMacIsLimitedWhileOthersAreServed() {
    DiscoveryServer s = server(10, List.of());
    int answered = 0;
    for (int i = 0; i < 100; i++) {
      if (s.handle(padi(CPE), SEC).getFirst() instanceof DiscoveryAction.Send) answered++;
    }
    assertThat(answered).isEqualTo(15); // burst = 3 x 5/s
    assertThat(s.handle(padi(MacAddress.parse("52:54:00:00:00:03")), SEC).getFirst()).isInstanceOf(DiscoveryAction.Send.class);
  }

  @Test
  void serviceNamePolicy() {
    DiscoveryServer s = server(10, List.of("internet"));
    PppoeFrame wantsOther = PppoeFrame.discovery(MacAddress.BROADCAST, CPE, PppoeFrame.CODE_PADI, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, "voip")));
    assertThat(s.handle(wantsOther, SEC)).containsExactly(new DiscoveryAction.Drop(DropReason.SERVICE_NOT_OFFERED));
    PppoeFrame any = sent(s.handle(padi(CPE), SEC));
    assertThat(any.tag(Tag.SERVICE_NAME).text()).isEqualTo("internet");
    PppoeFrame noService = PppoeFrame.discovery(MacAddress.BROADCAST, CPE, PppoeFrame.CODE_PADI, 0, List.of());
    assertThat(s.handle(noService, SEC)).containsExactly(new DiscoveryAction.Drop(DropReason.SERVICE_NAME_MISSING));
  }
}
