package net.tinyisp.nat64.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.config.Pool4Entry;
import net.tinyisp.net.link.LinkSetup;

/**
 * {@code --setup}: what a NAT64 start script does by hand (Jool's and TAYGA's guides): bring the TUN up, route
 * pool6 and every pool4 address into it, and turn on forwarding for both families. Without it the operator's own
 * routing is used and only the device is opened.
 */
final class TunSetup {
  private TunSetup() {}

  static void apply(Nat64Config cfg, String device) throws IOException {
    LinkSetup ip = LinkSetup.here();
    ip.up(device, 1500);
    ip.route(cfg.pool6(), device);
    for (Pool4Entry e : cfg.pool4()) {
      ip.route(e.address() + "/32", device);
    }
    Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
    Files.writeString(Path.of("/proc/sys/net/ipv6/conf/all/forwarding"), "1");
  }
}
