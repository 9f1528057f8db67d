package net.tinyisp.dns.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.net.HostPort;

/**
 * The {@code nameserver} lines of resolv.conf(5), the default upstreams. Other keywords (search, options) do not
 * concern a forwarder and are ignored; a malformed nameserver line is skipped as the libc resolver skips it.
 */
public final class ResolvConf {
  public static final Path SYSTEM = Path.of("/etc/resolv.conf");

  private ResolvConf() {}

  public static List<String> nameservers(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      return List.of();
    }
  }

  public static List<String> parse(String text) {
    List<String> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      int hash = line.indexOf('#');
      if (hash >= 0) line = line.substring(0, hash);
      int semi = line.indexOf(';');
      if (semi >= 0) line = line.substring(0, semi);
      String[] words = line.strip().split("\\s+");
      if (words.length >= 2 && words[0].equals("nameserver")) {
        String addr = words[1];
        try {
          HostPort hp = HostPort.parse(addr.indexOf(':') >= 0 ? "[" + addr + "]" : addr, 53);
          out.add(hp.toString());
        } catch (IllegalArgumentException e) {
          // not a literal address: the libc resolver ignores it too
        }
      }
    }
    return List.copyOf(out);
  }
}
