package net.tinyisp.dns.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real {@code kdig} (knot-dnsutils) and reads its text output. */
final class Kdig {
  static boolean available() {
    return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/kdig"));
  }

  /** One query; {@code options} are kdig's own ({@code +tcp}, {@code +dnssec}, {@code -b 127.0.0.2} ...). */
  static Result query(String server, int port, String name, String type, String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kdig", "@" + server, "-p", String.valueOf(port), "+retry=0",
        "+timeout=3", "+noidn"));
    for (String o : options) cmd.addAll(List.of(o.split(" ")));
    cmd.add(name);
    cmd.add(type);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("kdig hung: " + cmd);
    }
    return new Result(new String(p.getInputStream().readAllBytes()));
  }

  record Result(String text) {
    String status() {
      Matcher m = Pattern.compile("status: (\\w+)").matcher(text);
      return m.find() ? m.group(1) : "NO ANSWER: " + text;
    }

    String flags() {
      Matcher m = Pattern.compile(";; Flags: ([a-z ]*);").matcher(text);
      return m.find() ? m.group(1) : "";
    }

    /** Records of one section as "name ttl class type rdata", whitespace collapsed. */
    List<String> section(String name) {
      List<String> out = new ArrayList<>();
      boolean in = false;
      for (String line : text.split("\n")) {
        if (line.startsWith(";; " + name + " SECTION:")) {
          in = true;
          continue;
        }
        if (in) {
          if (line.isBlank() || line.startsWith(";;")) break;
          out.add(line.strip().replaceAll("\\s+", " "));
        }
      }
      return out;
    }

    List<String> answer() {
      return section("ANSWER");
    }

    /** rdata of the answer records of one type. */
    List<String> rdata(String type) {
      return answer().stream().map(l -> l.split(" ", 5)).filter(f -> f.length == 5 && f[3].equals(type))
          .map(f -> f[4]).toList();
    }

    List<Long> ttls(String type) {
      return answer().stream().map(l -> l.split(" ", 5)).filter(f -> f.length == 5 && f[3].equals(type))
          .map(f -> Long.parseLong(f[1])).toList();
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
