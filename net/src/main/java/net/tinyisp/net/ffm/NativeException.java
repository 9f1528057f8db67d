package net.tinyisp.net.ffm;

import java.io.IOException;

/** A failed system call: which call, its errno and the libc text for it. */
public final class NativeException extends IOException {
  private final int errno;

  public NativeException(String what, int errno, String text) {
    super(what + ": " + text + " (errno " + errno + ")");
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
