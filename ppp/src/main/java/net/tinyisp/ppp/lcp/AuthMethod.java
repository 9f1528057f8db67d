package net.tinyisp.ppp.lcp;

import net.tinyisp.ppp.Protocols;
import net.tinyisp.ppp.wire.ConfigOption;

/** How the access concentrator asks the subscriber to authenticate: the Authentication-Protocol option's value. */
public enum AuthMethod {
  /** RFC 1994 CHAP with MD5 (algorithm 5). */
  CHAP_MD5(new byte[] {(byte) 0xc2, 0x23, 5}),
  /** RFC 1334 PAP. */
  PAP(new byte[] {(byte) 0xc0, 0x23});

  private final byte[] optionData;

  AuthMethod(byte[] optionData) {
    this.optionData = optionData;
  }

  public ConfigOption option() {
    return new ConfigOption(LcpOption.AUTH_PROTOCOL, optionData);
  }

  public int protocol() {
    return this == PAP ? Protocols.PAP : Protocols.CHAP;
  }

  /** The method an Authentication-Protocol option names, or null for one we do not offer (MS-CHAP, EAP, ...). */
  public static AuthMethod of(ConfigOption o) {
    byte[] d = o.data();
    if (d.length == 2 && (d[0] & 0xff) == 0xc0 && (d[1] & 0xff) == 0x23) return PAP;
    if (d.length == 3 && (d[0] & 0xff) == 0xc2 && (d[1] & 0xff) == 0x23 && d[2] == 5) return CHAP_MD5;
    return null;
  }
}
