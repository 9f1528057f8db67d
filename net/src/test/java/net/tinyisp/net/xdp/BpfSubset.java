package net.tinyisp.net.xdp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs the eBPF subset {@link BpfAssembler} emits over one frame, the way the kernel would (xdp_md with data at 0,
 * loads little-endian, bpf_redirect_map answering "redirect" when the map fd matches), so the steering decisions
 * can be checked without root. Out-of-bounds packet reads fail the test: the verifier would have refused them.
 */
final class BpfSubset {
  static final long REDIRECT = 4; // XDP_REDIRECT
  private static final long DATA = 1L << 32;
  private static final long CTX = 2L << 32;

  private BpfSubset() {}

  static long run(byte[] program, byte[] frame, int mapFd, int rxQueue) {
    ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer f = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
    long[] r = new long[11];
    r[1] = CTX;
    int pc = 0;
    for (int steps = 0; steps < 10_000; steps++) {
      int at = pc * 8;
      int op = p.get(at) & 0xff;
      int dst = p.get(at + 1) & 0xf;
      int src = (p.get(at + 1) >> 4) & 0xf;
      short off = p.getShort(at + 2);
      int imm = p.getInt(at + 4);
      pc++;
      switch (op) {
        case 0x61, 0x69, 0x71 -> r[dst] = load(r[src] + off, op, f, rxQueue);
        case 0x07 -> r[dst] += imm;
        case 0x57 -> r[dst] &= imm;
        case 0xb7 -> r[dst] = imm;
        case 0xbf -> r[dst] = r[src];
        case 0x05 -> pc += off;
        case 0x55 -> pc += r[dst] != (long) imm ? off : 0;
        case 0x56 -> pc += (int) r[dst] != imm ? off : 0;
        case 0x2d -> pc += Long.compareUnsigned(r[dst], r[src]) > 0 ? off : 0;
        case 0x18 -> {
          if (src != 1 || imm != mapFd) throw new AssertionError("ld_imm64 of something other than the map fd");
          r[dst] = imm;
          pc++;
        }
        case 0x85 -> {
          if (imm != UdpSteeringProgram.BPF_FUNC_REDIRECT_MAP || r[1] != mapFd || r[2] != rxQueue) {
            throw new AssertionError("unexpected call " + imm);
          }
          r[0] = REDIRECT;
        }
        case 0x95 -> {
          return r[0];
        }
        default -> throw new AssertionError("opcode " + Integer.toHexString(op) + " at " + (pc - 1));
      }
    }
    throw new AssertionError("no exit after 10000 steps");
  }

  private static long load(long address, int op, ByteBuffer frame, int rxQueue) {
    if (address >= CTX) {
      long field = address - CTX;
      if (op != 0x61) throw new AssertionError("narrow context load");
      if (field == 0) return DATA;
      if (field == 4) return DATA + frame.capacity();
      if (field == 16) return rxQueue;
      throw new AssertionError("context field " + field);
    }
    int i = (int) (address - DATA);
    int size = op == 0x61 ? 4 : op == 0x69 ? 2 : 1;
    if (i < 0 || i + size > frame.capacity()) throw new AssertionError("read past the frame at " + i);
    return switch (size) {
      case 4 -> frame.getInt(i) & 0xffffffffL;
      case 2 -> frame.getShort(i) & 0xffffL;
      default -> frame.get(i) & 0xffL;
    };
  }
}
