package net.tinyisp.radius.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Vendor-Specific attribute (RFC 2865 §5.26): a 4-octet Vendor-Id, then the vendor's own sub-attributes. Most
 * vendors follow the recommended layout (1-octet type, 1-octet length including the header); FreeRADIUS
 * dictionaries describe others with {@code format=T,L} (type 1, 2 or 4 octets; length 0, 1 or 2 octets).
 */
public final class VendorSpecific {
  private VendorSpecific() {}

  /** One vendor sub-attribute. */
  public record SubAttribute(int vendorId, int type, byte[] value) {
    public SubAttribute {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SubAttribute s && s.vendorId == vendorId && s.type == type
          && Arrays.equals(s.value, value);
    }

    @Override
    public int hashCode() {
      return (vendorId * 31 + type) * 31 + Arrays.hashCode(value);
    }
  }

  /** The layout of a vendor's sub-attributes. */
  public record Format(int typeSize, int lengthSize) {
    public static final Format STANDARD = new Format(1, 1);

    public Format {
      if (typeSize != 1 && typeSize != 2 && typeSize != 4) throw new IllegalArgumentException("type size 1, 2 or 4");
      if (lengthSize < 0 || lengthSize > 2) throw new IllegalArgumentException("length size 0, 1 or 2");
    }
  }

  public static int vendorId(byte[] vsaValue) {
    if (vsaValue.length < 4) return -1;
    return (vsaValue[0] & 0xff) << 24 | (vsaValue[1] & 0xff) << 16 | (vsaValue[2] & 0xff) << 8 | vsaValue[3] & 0xff;
  }

  /**
   * Splits a Vendor-Specific value into sub-attributes; null when it does not follow {@code format} exactly (the
   * caller then keeps the whole attribute raw, as RFC 2865 §5.26 allows vendors any layout).
   */
  public static List<SubAttribute> parse(byte[] v, Format format) {
    int vendor = vendorId(v);
    if (vendor < 0) return null;
    List<SubAttribute> out = new ArrayList<>();
    int p = 4;
    int hdr = format.typeSize() + format.lengthSize();
    if (v.length == 4) return null;
    while (p < v.length) {
      if (v.length - p < hdr) return null;
      int type = 0;
      for (int i = 0; i < format.typeSize(); i++) type = type << 8 | (v[p + i] & 0xff);
      int len;
      if (format.lengthSize() == 0) {
        len = v.length - p; // format=4,0 (USR): one sub-attribute fills the rest
      } else {
        len = 0;
        for (int i = 0; i < format.lengthSize(); i++) len = len << 8 | (v[p + format.typeSize() + i] & 0xff);
        if (len < hdr || p + len > v.length) return null;
      }
      out.add(new SubAttribute(vendor, type, Arrays.copyOfRange(v, p + hdr, p + len)));
      p += len;
    }
    return out;
  }

  /** One Vendor-Specific value holding one sub-attribute. */
  public static byte[] encode(SubAttribute s, Format format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int v = s.vendorId();
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    for (int i = format.typeSize() - 1; i >= 0; i--) out.write(s.type() >>> (8 * i));
    int len = format.typeSize() + format.lengthSize() + s.value.length;
    for (int i = format.lengthSize() - 1; i >= 0; i--) out.write(len >>> (8 * i));
    out.writeBytes(s.value);
    byte[] b = out.toByteArray();
    if (b.length > RawAttribute.MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException("vendor attribute " + s.vendorId() + ":" + s.type() + " is too long");
    }
    return b;
  }
}
