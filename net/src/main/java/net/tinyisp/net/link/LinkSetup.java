package net.tinyisp.net.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One-off link configuration by running iproute2's {@code ip}: MTU, up, addresses, routes, optionally in a named
 * network namespace ({@code ip -n NS}). Running {@code ip} once at start is simpler and as reliable as speaking
 * rtnetlink ourselves, and an operator can repeat the exact command from the error message. Not for the packet
 * path.
 */
public final class LinkSetup {
  private static final long TIMEOUT_SECONDS = 10;
  private final String namespace;

  private LinkSetup(String namespace) {
    this.namespace = namespace;
  }

  /** Commands in the JVM's own network namespace. */
  public static LinkSetup here() {
    return new LinkSetup(null);
  }

  /** Commands in the named namespace ({@code /run/netns/NAME}). */
  public static LinkSetup in(String namespace) {
    return new LinkSetup(namespace);
  }

  public LinkSetup up(String device, int mtu) throws IOException {
    return ip("link", "set", "dev", device, "mtu", Integer.toString(mtu), "up");
  }

  /** Adds an address with its prefix length, e.g. {@code 2001:db8:1::1/64} ({@code nodad} for IPv6). */
  public LinkSetup address(String device, String addressWithLength) throws IOException {
    if (addressWithLength.contains(":")) {
      return ip("-6", "addr", "add", addressWithLength, "dev", device, "nodad");
    }
    return ip("addr", "add", addressWithLength, "dev", device);
  }

  public LinkSetup route(String prefix, String device) throws IOException {
    return ip(prefix.contains(":") ? "-6" : "-4", "route", "add", prefix, "dev", device);
  }

  /** Runs {@code ip ARGS...} (with {@code -n NS} when set); fails with the command and its stderr. */
  public LinkSetup ip(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("ip");
    if (namespace != null) {
      cmd.add("-n");
      cmd.add(namespace);
    }
    cmd.addAll(List.of(args));
    run(cmd);
    return this;
  }

  static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": no answer in " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", cmd) + ": interrupted", e);
    }
    if (p.exitValue() != 0) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
    }
  }
}
