package net.tinyisp.radius.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import net.tinyisp.radius.dictionary.AttributeCodec.NamedValue;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import org.junit.jupiter.api.Test;

class AttributeCodecTest {
  private final AttributeCodec codec = new AttributeCodec(Dictionary.standard());

  private List<NamedValue> roundTrip(String name, String value) {
    RawAttribute a = codec.encode(name, value);
    return codec.decode(new RadiusPacket(Code.ACCESS_ACCEPT, 1, new byte[16], List.of(a)));
  }

  @Test
  void roaringPenguinSpeedIsAVendorSpecificInteger() {
    RawAttribute a = codec.encode("RP-Upstream-Speed-Limit", "5120");
    // RFC 2865 §5.26: Vendor-Id 10055 (0x2747), vendor type 1, vendor length 6, value 5120 (0x1400)
    assertThat(a.type()).isEqualTo(26);
    assertThat(HexFormat.of().formatHex(a.value())).isEqualTo("00002747" + "0106" + "00001400");
    assertThat(roundTrip("RP-Downstream-Speed-Limit", "10240"))
        .containsExactly(new NamedValue("RP-Downstream-Speed-Limit", "10240"));
  }

  @Test
  void typesRoundTrip() {
    assertThat(roundTrip("Acct-Interim-Interval", "300")).containsExactly(new NamedValue("Acct-Interim-Interval",
        "300"));
    assertThat(roundTrip("Service-Type", "Framed-User")).containsExactly(new NamedValue("Service-Type",
        "Framed-User"));
    assertThat(roundTrip("Framed-IP-Address", "198.51.100.7")).containsExactly(new NamedValue("Framed-IP-Address",
        "198.51.100.7"));
    assertThat(roundTrip("Framed-IPv6-Address", "2001:db8::1")).containsExactly(new NamedValue(
        "Framed-IPv6-Address", "2001:db8::1"));
    assertThat(roundTrip("Delegated-IPv6-Prefix", "2001:db8:100::/48")).containsExactly(new NamedValue(
        "Delegated-IPv6-Prefix", "2001:db8:100::/48"));
    assertThat(roundTrip("Event-Timestamp", "2026-11-26T03:50:00Z")).containsExactly(new NamedValue(
        "Event-Timestamp", "2026-11-26T03:50:00Z"));
    assertThat(roundTrip("Class", "0x0102")).containsExactly(new NamedValue("Class", "0x0102"));
    assertThat(roundTrip("Mikrotik-Rate-Limit", "5M/10M")).containsExactly(new NamedValue("Mikrotik-Rate-Limit",
        "5M/10M"));
  }

  @Test
  void ipv6PrefixCarriesOnlyTheSignificantOctets() {
    // RFC 3162 §2.3: Reserved 0, Prefix-Length 48, then 6 octets
    assertThat(HexFormat.of().formatHex(codec.encode("Framed-IPv6-Prefix", "2001:db8:1::/48").value()))
        .isEqualTo("0030" + "20010db80001");
  }

  @Test
  void tagsFollowRfc2868() {
    RawAttribute t = codec.encode("Tunnel-Type:1", "L2TP");
    assertThat(HexFormat.of().formatHex(t.value())).isEqualTo("01000003");
    assertThat(roundTrip("Tunnel-Type:1", "L2TP")).containsExactly(new NamedValue("Tunnel-Type:1", "L2TP"));
    assertThat(roundTrip("Tunnel-Private-Group-Id:2", "vlan10")).containsExactly(new NamedValue(
        "Tunnel-Private-Group-Id:2", "vlan10"));
  }

  @Test
  void unknownAttributesAreKeptRaw() {
    RadiusPacket p = new RadiusPacket(Code.ACCESS_REQUEST, 1, new byte[16], List.of(
        new RawAttribute(250, new byte[] {1, 2}),
        new RawAttribute(26, HexFormat.of().parseHex("000000090105616263"))));
    assertThat(codec.decode(p)).containsExactly(new NamedValue("Attr-250", "0x0102"),
        new NamedValue("Vendor-9-Attr-1", "0x616263"));
  }

  @Test
  void badValuesSayWhatWasExpected() {
    assertThatThrownBy(() -> codec.encode("RP-Upstream-Speed-Limit", "fast")).hasMessageContaining("number");
    assertThatThrownBy(() -> codec.encode("No-Such-Attribute", "1")).hasMessageContaining("unknown attribute");
  }
}
