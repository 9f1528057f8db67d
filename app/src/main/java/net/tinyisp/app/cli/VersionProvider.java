package net.tinyisp.app.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"tinyisp " + (v == null ? "dev" : v), "Java " + Runtime.version()};
  }
}
