package net.tinyisp.dns.acl;

import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;

/** The host's addresses and networks, for bind's {@code localhost} and {@code localnets} ACL keywords. */
public interface LocalAddresses {
  List<IpPrefix> hostAddresses();

  List<IpPrefix> networks();

  static LocalAddresses fixed(List<IpPrefix> hosts, List<IpPrefix> nets) {
    return new LocalAddresses() {
      public List<IpPrefix> hostAddresses() {
        return hosts;
      }

      public List<IpPrefix> networks() {
        return nets;
      }
    };
  }

  /** Read from the interfaces at parse time; loopback (127/8, ::1) is always included. */
  static LocalAddresses system() {
    List<IpPrefix> hosts = new ArrayList<>(List.of(IpPrefix.parse("127.0.0.0/8"), IpPrefix.parse("::1/128")));
    List<IpPrefix> nets = new ArrayList<>(hosts);
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
          byte[] a = ia.getAddress().getAddress();
          hosts.add(IpPrefix.of(ia.getAddress(), a.length * 8));
          nets.add(IpPrefix.of(ia.getAddress(), Math.max(0, ia.getNetworkPrefixLength())));
        }
      }
    } catch (SocketException | RuntimeException e) {
      // no interface list: loopback only, the safe default for an ACL
    }
    return fixed(List.copyOf(hosts), List.copyOf(nets));
  }
}
