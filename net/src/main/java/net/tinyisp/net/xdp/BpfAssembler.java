package net.tinyisp.net.xdp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of an eBPF assembler for the small XDP programs tinyisp loads: 64-bit loads, ALU with immediates,
 * conditional jumps to named labels, a map-fd load, a helper call and exit. Instructions are 8 bytes, little-endian
 * ({@code Documentation/bpf/standardization/instruction-set.rst}); jump offsets count instructions after the jump.
 *
 * <p>Why by hand: the alternative is compiling C with clang into an ELF object and loading it through libbpf, two
 * more build and run-time dependencies for some thirty instructions.
 */
final class BpfAssembler {
  static final int R0 = 0;
  static final int R1 = 1;
  static final int R2 = 2;
  static final int R3 = 3;
  static final int R4 = 4;
  static final int R5 = 5;

  /** Load sizes. */
  static final int W = 0x00;
  static final int H = 0x08;
  static final int B = 0x10;

  private static final int LDX_MEM = 0x61; // BPF_LDX | BPF_MEM, size bits added
  private static final int ALU64_ADD_K = 0x07;
  private static final int ALU64_AND_K = 0x57;
  private static final int ALU64_MOV_K = 0xb7;
  private static final int ALU64_MOV_X = 0xbf;
  private static final int JMP_JA = 0x05;
  private static final int JMP_JNE_K = 0x55;
  private static final int JMP32_JNE_K = 0x56;
  private static final int JMP_JGT_X = 0x2d;
  private static final int CALL = 0x85;
  private static final int EXIT = 0x95;
  private static final int LD_IMM64 = 0x18;
  private static final int PSEUDO_MAP_FD = 1;

  private final List<long[]> insns = new ArrayList<>(); // {opcode, dst, src, off, imm}
  private final Map<Integer, String> jumps = new HashMap<>();
  private final Map<String, Integer> labels = new HashMap<>();

  BpfAssembler ldx(int size, int dst, int src, int off) {
    return add(LDX_MEM | size, dst, src, off, 0);
  }

  BpfAssembler add(int dst, int imm) {
    return add(ALU64_ADD_K, dst, 0, 0, imm);
  }

  BpfAssembler and(int dst, int imm) {
    return add(ALU64_AND_K, dst, 0, 0, imm);
  }

  BpfAssembler mov(int dst, int imm) {
    return add(ALU64_MOV_K, dst, 0, 0, imm);
  }

  BpfAssembler movReg(int dst, int src) {
    return add(ALU64_MOV_X, dst, src, 0, 0);
  }

  /** if dst != imm goto label (64-bit compare; imm is sign-extended). */
  BpfAssembler jne(int dst, int imm, String label) {
    return jump(JMP_JNE_K, dst, 0, imm, label);
  }

  /** if (u32) dst != imm goto label: for 32-bit packet words whose top bit may be set. */
  BpfAssembler jne32(int dst, int imm, String label) {
    return jump(JMP32_JNE_K, dst, 0, imm, label);
  }

  /** if dst > src (unsigned) goto label. */
  BpfAssembler jgtReg(int dst, int src, String label) {
    return jump(JMP_JGT_X, dst, src, 0, label);
  }

  BpfAssembler ja(String label) {
    return jump(JMP_JA, 0, 0, 0, label);
  }

  BpfAssembler loadMapFd(int dst, int mapFd) {
    add(LD_IMM64, dst, PSEUDO_MAP_FD, 0, mapFd);
    return add(0, 0, 0, 0, 0);
  }

  BpfAssembler call(int helper) {
    return add(CALL, 0, 0, 0, helper);
  }

  BpfAssembler exit() {
    return add(EXIT, 0, 0, 0, 0);
  }

  BpfAssembler label(String name) {
    if (labels.putIfAbsent(name, insns.size()) != null) throw new IllegalStateException("label twice: " + name);
    return this;
  }

  /** The program, 8 bytes per instruction, with every jump resolved. */
  byte[] assemble() {
    ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < insns.size(); i++) {
      long[] in = insns.get(i);
      long off = in[3];
      String target = jumps.get(i);
      if (target != null) {
        Integer at = labels.get(target);
        if (at == null) throw new IllegalStateException("no label " + target);
        off = at - i - 1;
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) throw new IllegalStateException("jump too far");
      }
      out.put((byte) in[0]);
      out.put((byte) ((in[2] << 4) | (in[1] & 0xf)));
      out.putShort((short) off);
      out.putInt((int) in[4]);
    }
    return out.array();
  }

  private BpfAssembler jump(int op, int dst, int src, int imm, String label) {
    jumps.put(insns.size(), label);
    return add(op, dst, src, 0, imm);
  }

  private BpfAssembler add(int op, int dst, int src, int off, int imm) {
    insns.add(new long[] {op, dst, src, off, imm});
    return this;
  }
}
