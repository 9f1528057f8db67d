package net.tinyisp.radius.wire;

/** Test helper: the value of one vendor sub-attribute in a packet. */
public final class VendorAttributes {
  private VendorAttributes() {}

  public static byte[] find(RadiusPacket p, int vendorId, int type) {
    for (RawAttribute a : p.all(StandardTypes.VENDOR_SPECIFIC)) {
      var subs = VendorSpecific.parse(a.value(), VendorSpecific.Format.STANDARD);
      if (subs == null) continue;
      for (var s : subs) if (s.vendorId() == vendorId && s.type() == type) return s.value();
    }
    throw new AssertionError("no attribute " + vendorId + ":" + type + " in " + p);
  }
}
