package net.tinyisp.subscribers.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.subscribers.accounting.SessionLookup;
import net.tinyisp.subscribers.accounting.UsagePeriod;
import net.tinyisp.subscribers.caps.CapEnforcer;
import net.tinyisp.subscribers.caps.CapLedger;
import net.tinyisp.subscribers.caps.CapPolicy;
import net.tinyisp.subscribers.caps.CoaLog;
import net.tinyisp.subscribers.caps.NasSecret;
import net.tinyisp.subscribers.caps.RadiusNasCommands;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import picocli.CommandLine.Option;

/** Where and how CoA/Disconnect-Requests go: NAS secrets, port, timeouts; and the cap policy they apply. */
public final class NasOptions {
  @Option(names = "--client", paramLabel = "ADDRESS=SECRET",
      description = "a NAS (or subnet) and its shared secret, repeatable; the same as the server's clients")
  List<String> clients = new ArrayList<>();

  @Option(names = "--coa-port", defaultValue = "3799", description = "the NAS's CoA port (default ${DEFAULT-VALUE})")
  int coaPort;

  @Option(names = "--timeout-ms", defaultValue = "1000", description = "first retransmission timeout (default"
      + " ${DEFAULT-VALUE} ms; doubles per retry)")
  long timeoutMs;

  @Option(names = "--attempts", defaultValue = "3", description = "sends per request (default ${DEFAULT-VALUE})")
  int attempts;

  @Option(names = "--dictionary", paramLabel = "FILE", description = "dictionary file added to the shipped set")
  List<Path> dictionaries = new ArrayList<>();

  @Option(names = "--capped-down", defaultValue = "1024", description = "capped downstream kbit/s (default"
      + " ${DEFAULT-VALUE})")
  long cappedDown;

  @Option(names = "--capped-up", defaultValue = "512", description = "capped upstream kbit/s (default"
      + " ${DEFAULT-VALUE})")
  long cappedUp;

  @Option(names = "--period-zone", defaultValue = "UTC", description = "time zone of the monthly usage period")
  String zone;

  RadiusNasCommands commands() {
    List<NasSecret> table = clients.stream().map(NasSecret::parse).toList();
    return RadiusNasCommands.of(table, coaPort, Duration.ofMillis(timeoutMs), attempts,
        Dictionary.standardPlus(dictionaries));
  }

  CapEnforcer enforcer(Database db, RadiusNasCommands nas) {
    return new CapEnforcer(new JdbcSubscriberStore(db), new CapLedger(db), new SessionLookup(db), new CoaLog(db),
        new CapPolicy(CapPolicy.Action.THROTTLE, cappedDown, cappedUp), UsagePeriod.monthly(ZoneId.of(zone)), nas,
        Clock.systemUTC(), Runnable::run, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }
}
