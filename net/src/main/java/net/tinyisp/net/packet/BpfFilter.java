package net.tinyisp.net.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A classic BPF program (linux/filter.h, Documentation/networking/filter.rst) that accepts Ethernet frames whose
 * EtherType is one of a list and drops everything else, so a packet socket for PPPoE discovery (0x8863) and
 * session (0x8864) frames (RFC 2516 §4) never copies the rest of the interface's traffic.
 *
 * <pre>
 *   (000) ldh [12]                    ; EtherType
 *   (001) jeq #t1  jt accept jf 002
 *   ...   jeq #tn  jt accept jf drop
 *   (n+1) ret #0                      ; drop
 *   (n+2) ret #0xffffffff             ; accept the whole frame
 * </pre>
 *
 * Each instruction is {@code struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }} in host order.
 */
public final class BpfFilter {
  static final int BPF_LD_H_ABS = 0x28;
  static final int BPF_JMP_JEQ_K = 0x15;
  static final int BPF_RET_K = 0x06;
  static final int MAX_TYPES = 32;

  private final int[] program; // code | jt << 16 | jf << 24, k — two ints per instruction

  private BpfFilter(int[] program) {
    this.program = program;
  }

  /** A filter for the given EtherTypes (1 to 32 of them, each 0x0600-0xffff per IEEE 802.3 EtherType range). */
  public static BpfFilter etherTypes(List<Integer> types) {
    if (types.isEmpty() || types.size() > MAX_TYPES) {
      throw new IllegalArgumentException("need 1.." + MAX_TYPES + " EtherTypes, got " + types.size());
    }
    int n = types.size();
    int[] p = new int[2 * (n + 3)];
    put(p, 0, BPF_LD_H_ABS, 0, 0, 12);
    for (int i = 1; i <= n; i++) {
      int t = types.get(i - 1);
      if (t < 0x0600 || t > 0xffff) {
        throw new IllegalArgumentException(String.format("EtherType 0x%x is not in 0x0600..0xffff", t));
      }
      put(p, i, BPF_JMP_JEQ_K, n + 1 - i, 0, t);
    }
    put(p, n + 1, BPF_RET_K, 0, 0, 0);
    put(p, n + 2, BPF_RET_K, 0, 0, 0xffffffff);
    return new BpfFilter(p);
  }

  /** A filter that accepts nothing: for a send-only socket. */
  public static BpfFilter none() {
    int[] p = new int[2];
    put(p, 0, BPF_RET_K, 0, 0, 0);
    return new BpfFilter(p);
  }

  private static void put(int[] p, int index, int code, int jt, int jf, int k) {
    p[2 * index] = (code & 0xffff) | (jt & 0xff) << 16 | (jf & 0xff) << 24;
    p[2 * index + 1] = k;
  }

  public int length() {
    return program.length / 2;
  }

  /** Instruction {@code i} as (code, jt, jf, k), for tests and {@code tcpdump -d}-style printing. */
  public int[] instruction(int i) {
    int w = program[2 * i];
    return new int[] {w & 0xffff, (w >>> 16) & 0xff, (w >>> 24) & 0xff, program[2 * i + 1]};
  }

  /**
   * The {@code struct sock_fprog { u16 len; struct sock_filter *filter; }} for {@code SO_ATTACH_FILTER}, with the
   * instructions, allocated in {@code arena}.
   */
  MemorySegment toFprog(Arena arena) {
    MemorySegment insns = arena.allocate(8L * length(), 8);
    for (int i = 0; i < length(); i++) {
      int[] in = instruction(i);
      insns.set(ValueLayout.JAVA_SHORT, 8L * i, (short) in[0]);
      insns.set(ValueLayout.JAVA_BYTE, 8L * i + 2, (byte) in[1]);
      insns.set(ValueLayout.JAVA_BYTE, 8L * i + 3, (byte) in[2]);
      insns.set(ValueLayout.JAVA_INT, 8L * i + 4, in[3]);
    }
    MemorySegment fprog = arena.allocate(16, 8);
    fprog.set(ValueLayout.JAVA_SHORT, 0, (short) length());
    fprog.set(ValueLayout.ADDRESS, 8, insns);
    return fprog;
  }
}
