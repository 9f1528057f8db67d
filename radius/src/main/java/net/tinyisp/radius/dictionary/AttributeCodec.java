package net.tinyisp.radius.dictionary;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import net.tinyisp.radius.wire.TunnelPassword;
import net.tinyisp.radius.wire.UserPassword;
import net.tinyisp.radius.wire.VendorSpecific;

/**
 * Turns wire attributes into named presentation values with a {@link Dictionary}, and names and values back into
 * wire attributes. Tagged attributes (RFC 2868 §3) print as {@code Name:tag}, as FreeRADIUS writes them. Attributes
 * the dictionary does not know print as {@code Attr-N} or {@code Vendor-V-Attr-N} with hex values and are kept.
 */
public final class AttributeCodec {
  private final Dictionary dictionary;
  private final java.util.concurrent.atomic.AtomicInteger salt = new java.util.concurrent.atomic.AtomicInteger(
      new java.security.SecureRandom().nextInt());

  public AttributeCodec(Dictionary dictionary) {
    this.dictionary = dictionary;
  }

  public Dictionary dictionary() {
    return dictionary;
  }

  /** A decoded attribute: name (with {@code :tag} when tagged) and presentation value. */
  public record NamedValue(String name, String value) {}

  /** Decodes every attribute; encrypted values print as hex (no secret is used here). */
  public List<NamedValue> decode(RadiusPacket p) {
    List<NamedValue> out = new ArrayList<>(p.attributes().size());
    for (RawAttribute a : p.attributes()) {
      if (a.type() == StandardTypes.VENDOR_SPECIFIC) {
        byte[] v = a.value();
        int vendorId = VendorSpecific.vendorId(v);
        VendorDef vd = vendorId < 0 ? null : dictionary.vendor(vendorId);
        List<VendorSpecific.SubAttribute> subs = vendorId < 0 ? null
            : VendorSpecific.parse(v, vd == null ? VendorSpecific.Format.STANDARD : vd.format());
        if (subs == null) {
          out.add(new NamedValue("Attr-26", hex(v)));
          continue;
        }
        for (VendorSpecific.SubAttribute s : subs) {
          out.add(decodeOne(dictionary.attribute(vendorId, s.type()), vendorId, s.type(), s.value()));
        }
      } else {
        out.add(decodeOne(dictionary.attribute(0, a.type()), 0, a.type(), a.value()));
      }
    }
    return out;
  }

  private NamedValue decodeOne(AttributeDef def, int vendorId, int type, byte[] v) {
    if (def == null) {
      return new NamedValue(vendorId == 0 ? "Attr-" + type : "Vendor-" + vendorId + "-Attr-" + type, hex(v));
    }
    if (def.encrypt() != 0) return new NamedValue(def.name(), hex(v));
    String name = def.name();
    if (def.hasTag()) {
      if (def.dataType() == DataType.INTEGER && v.length == 4) {
        int tag = v[0] & 0xff;
        v = new byte[] {0, v[1], v[2], v[3]}; // RFC 2868 §3: tag replaces the high octet of a tagged integer
        if (tag != 0) name = name + ":" + tag;
      } else if (v.length > 0 && (v[0] & 0xff) <= 0x1f) {
        int tag = v[0] & 0xff; // RFC 2868 §3.x: a first octet 0x01..0x1F is a Tag; 0 means "no tag"
        v = java.util.Arrays.copyOfRange(v, 1, v.length);
        if (tag != 0) name = name + ":" + tag;
      }
    }
    return new NamedValue(name, ValueText.format(def.dataType(), v, def));
  }

  private static String hex(byte[] v) {
    return "0x" + HexFormat.of().formatHex(v);
  }

  /**
   * Encodes {@code Name[:tag]} = {@code value}. {@code secret} and {@code requestAuthenticator} are needed for
   * {@code encrypt=1/2} attributes and may be null otherwise.
   */
  public RawAttribute encode(String name, String value, byte[] secret, byte[] requestAuthenticator) {
    int tag = 0;
    String base = name;
    int colon = name.lastIndexOf(':');
    if (colon > 0 && name.substring(colon + 1).matches("[0-9]{1,2}")) {
      tag = Integer.parseInt(name.substring(colon + 1));
      base = name.substring(0, colon);
    }
    AttributeDef def = dictionary.attribute(base);
    if (def == null) throw new IllegalArgumentException("unknown attribute '" + base + "' (not in the dictionary)");
    if (tag != 0 && (!def.hasTag() || tag > 0x1f)) {
      throw new IllegalArgumentException("attribute '" + base + "' takes no tag 1..31 here");
    }
    byte[] v = ValueText.parse(def.dataType(), value, def);
    switch (def.encrypt()) {
      case 1 -> {
        if (secret == null) throw new IllegalArgumentException(base + " is encrypted: a secret is needed");
        v = UserPassword.hide(v, secret, requestAuthenticator);
      }
      case 2 -> {
        if (secret == null) throw new IllegalArgumentException(base + " is encrypted: a secret is needed");
        v = TunnelPassword.encrypt(v, secret, requestAuthenticator, salt.getAndIncrement());
        if (def.hasTag()) v = prepend((byte) tag, v); // RFC 2868 §3.5: Tag, Salt, String
        tag = -1;
      }
      case 0 -> { }
      default -> throw new IllegalArgumentException(base + ": encrypt=" + def.encrypt() + " is not implemented");
    }
    if (def.hasTag() && tag >= 0) {
      if (def.dataType() == DataType.INTEGER) {
        if ((v[0] & 0xff) != 0) throw new IllegalArgumentException(base + " is tagged: its value is at most 2^24-1");
        v[0] = (byte) tag;
      } else if (tag != 0) {
        v = prepend((byte) tag, v);
      }
    }
    if (def.vendorId() == 0) return new RawAttribute(def.type(), v);
    VendorDef vd = dictionary.vendor(def.vendorId());
    VendorSpecific.Format f = vd == null ? VendorSpecific.Format.STANDARD : vd.format();
    return new RawAttribute(StandardTypes.VENDOR_SPECIFIC,
        VendorSpecific.encode(new VendorSpecific.SubAttribute(def.vendorId(), def.type(), v), f));
  }

  /** True when encoding {@code Name[:tag]} needs the secret and Request Authenticator (encrypt=1/2). */
  public boolean needsSecret(String name) {
    int colon = name.lastIndexOf(':');
    AttributeDef def = dictionary.attribute(colon > 0 ? name.substring(0, colon) : name);
    if (def == null && colon > 0) def = dictionary.attribute(name);
    return def != null && def.encrypt() != 0;
  }

  public RawAttribute encode(String name, String value) {
    return encode(name, value, null, null);
  }

  private static byte[] prepend(byte b, byte[] v) {
    byte[] out = new byte[v.length + 1];
    out[0] = b;
    System.arraycopy(v, 0, out, 1, v.length);
    return out;
  }

}
