package net.tinyisp.dns.server.xdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Any bytes a frame can hold: {@link UdpFrame#parse} returns a payload length inside the frame or MALFORMED, and a
 * reply to a frame it accepted can be written, never an exception (the loop would log it per frame).
 */
class UdpFrameFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void anyFrame(byte[] data) {
    MemorySegment frame = MemorySegment.ofArray(data);
    int payload = UdpFrame.parse(frame, 0, data.length);
    if (payload == UdpFrame.MALFORMED) return;
    boolean v6 = UdpFrame.isIpv6(frame, 0);
    int headers = UdpFrame.headerLength(v6);
    if (payload < 0 || headers + payload > data.length) throw new AssertionError("payload outside the frame");
    byte[] out = new byte[headers + payload];
    UdpFrame.clientAddress(frame, 0, new byte[4], new byte[16]);
    int len = UdpFrame.writeReply(frame, 0, MemorySegment.ofArray(out), 0, payload);
    if (len != out.length) throw new AssertionError("reply length " + len);
  }
}
