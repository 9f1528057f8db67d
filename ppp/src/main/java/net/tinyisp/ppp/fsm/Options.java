package net.tinyisp.ppp.fsm;

/**
 * The §4.1 table's implementation options. {@code restart} ("r"): on Open in Stopped/Closing/Stopping/Opened,
 * restart the link (Down then Up) instead of staying. {@code passive} ("p"): after TO- in Req-Sent/Ack-Rcvd/Ack-Sent,
 * wait in Stopped for the peer (as pppd's "passive"); without it the table's TLF is taken and the link finishes.
 *
 * <p>An access concentrator answers a client that is already trying, so by default it restarts on re-Open and is
 * not passive.
 */
public record Options(boolean restart, boolean passive) {
  public static final Options DEFAULT = new Options(false, false);
}
