package net.tinyisp.radius.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DictionaryParserTest {
  private static final Path DEBIAN = Path.of("/usr/share/freeradius/dictionary");

  @Test
  void shippedDictionaryHasTheRfcAndVendorAttributes() {
    Dictionary d = Dictionary.standard();
    assertThat(d.attribute("User-Password").encrypt()).isEqualTo(1);
    assertThat(d.attribute("Tunnel-Password").hasTag()).isTrue();
    assertThat(d.attribute("Tunnel-Password").encrypt()).isEqualTo(2);
    assertThat(d.attribute("acct-interim-interval").type()).isEqualTo(85);
    assertThat(d.attribute("Delegated-IPv6-Prefix").dataType()).isEqualTo(DataType.IPV6PREFIX);
    assertThat(d.attribute("Framed-IPv6-Address").type()).isEqualTo(168);
    assertThat(d.attribute("Error-Cause").valueOf("Session-Context-Not-Found")).isEqualTo(503L);
    AttributeDef up = d.attribute("RP-Upstream-Speed-Limit");
    assertThat(up.vendorId()).isEqualTo(10055);
    assertThat(up.type()).isEqualTo(1);
    assertThat(d.attribute(10055, 2).name()).isEqualTo("RP-Downstream-Speed-Limit");
    assertThat(d.attribute(10055, 5).name()).isEqualTo("RP-Max-Sessions-Per-User");
    assertThat(d.attribute("WISPr-Bandwidth-Max-Down").type()).isEqualTo(8);
    assertThat(d.attribute("Mikrotik-Rate-Limit").vendorId()).isEqualTo(14988);
  }

  /** Golden: Debian's full FreeRADIUS dictionary loads, and every name we ship means the same there. */
  @Test
  void debianFreeradiusDictionaryLoadsAndAgreesWithOurs() {
    assumeTrue(Files.exists(DEBIAN), "freeradius-common not installed: /usr/share/freeradius/dictionary absent");
    Dictionary debian = DictionaryParser.parse(DEBIAN);
    assertThat(debian.attributeCount()).isGreaterThan(5000);
    assertThat(debian.vendorCount()).isGreaterThan(150);
    Dictionary ours = Dictionary.standard();
    for (String name : List.of("User-Name", "User-Password", "CHAP-Password", "Service-Type", "Framed-Protocol",
        "Acct-Status-Type", "Acct-Input-Gigawords", "Event-Timestamp", "Message-Authenticator",
        "Acct-Interim-Interval", "NAS-IPv6-Address", "Framed-IPv6-Prefix", "Delegated-IPv6-Prefix",
        "Framed-IPv6-Address", "DNS-Server-IPv6-Address", "Error-Cause", "Tunnel-Type", "Tunnel-Password",
        "RP-Upstream-Speed-Limit", "RP-Downstream-Speed-Limit", "RP-HURL", "RP-MOTM", "RP-Max-Sessions-Per-User",
        "WISPr-Bandwidth-Max-Up", "WISPr-Bandwidth-Max-Down", "Mikrotik-Rate-Limit")) {
      AttributeDef a = ours.attribute(name);
      AttributeDef b = debian.attribute(name);
      assertThat(b).as(name).isNotNull();
      assertThat(a.vendorId()).as(name).isEqualTo(b.vendorId());
      assertThat(a.type()).as(name).isEqualTo(b.type());
      assertThat(a.dataType()).as(name).isEqualTo(b.dataType());
      assertThat(a.encrypt()).as(name).isEqualTo(b.encrypt());
      assertThat(a.hasTag()).as(name).isEqualTo(b.hasTag());
    }
    assertThat(debian.attribute("Acct-Status-Type").valueOf("Interim-Update")).isEqualTo(3L);
  }

  @Test
  void roaringPenguinFileAloneLoadsWithTheStandardSet() {
    Path rp = Path.of("/usr/share/freeradius/dictionary.roaringpenguin");
    assumeTrue(Files.exists(rp), "freeradius-common not installed");
    Dictionary d = Dictionary.standardPlus(List.of(rp));
    assertThat(d.attribute("RP-Upstream-Speed-Limit").vendorId()).isEqualTo(10055);
  }

  @Test
  void parsesVendorFormatsFlagsAndIncludes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("dictionary.vendor"), """
        VENDOR  Wide  9999  format=2,2
        BEGIN-VENDOR Wide
        ATTRIBUTE Wide-Speed 300 integer
        ATTRIBUTE Wide-Key 2 string encrypt=1
        END-VENDOR Wide
        VALUE Wide-Speed Fast 7
        """);
    Files.writeString(dir.resolve("dictionary"), """
        # comment
        $INCLUDE dictionary.vendor
        ATTRIBUTE Local-Tag 200 string has_tag   # trailing comment
        BEGIN-TLV Skipped
        ATTRIBUTE Inner 1 string
        END-TLV Skipped
        ATTRIBUTE Ext-1 241.1 integer
        """);
    Dictionary d = DictionaryParser.parse(dir.resolve("dictionary"));
    AttributeDef speed = d.attribute("wide-speed");
    assertThat(speed.vendorId()).isEqualTo(9999);
    assertThat(speed.type()).isEqualTo(300);
    assertThat(speed.valueOf("Fast")).isEqualTo(7L);
    assertThat(d.attribute("Wide-Key").encrypt()).isEqualTo(1);
    assertThat(d.attribute("Local-Tag").hasTag()).isTrue();
    assertThat(d.vendor(9999).format().typeSize()).isEqualTo(2);
    assertThat(d.attribute("Inner")).isNull();
    assertThat(d.skipped()).isEqualTo(2);

    AttributeCodec codec = new AttributeCodec(d);
    RawAttribute vsa = codec.encode("Wide-Speed", "Fast");
    RadiusPacket p = new RadiusPacket(Code.ACCESS_ACCEPT, 1, new byte[16], List.of(vsa));
    assertThat(codec.decode(p)).containsExactly(new AttributeCodec.NamedValue("Wide-Speed", "Fast"));
  }

  @Test
  void errorsNameFileAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad");
    Files.writeString(f, "ATTRIBUTE Good 1 string\nATTRIBUTE Bad 2 floaty\n");
    assertThatThrownBy(() -> DictionaryParser.parse(f)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad").hasMessageContaining("2").hasMessageContaining("floaty");
    Files.writeString(f, "BEGIN-VENDOR Nobody\n");
    assertThatThrownBy(() -> DictionaryParser.parse(f)).hasMessageContaining("unknown vendor");
  }
}
