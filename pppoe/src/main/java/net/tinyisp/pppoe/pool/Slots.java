package net.tinyisp.pppoe.pool;

import java.util.BitSet;

/**
 * Which of {@code size} numbered slots are taken: the bookkeeping under the IPv4 address pool and the IPv6 prefix
 * pools. Next fit from a cursor, so a slot just freed is handed out again only after the rest of the pool, and a
 * reconnecting subscriber is unlikely to get the address or prefix of the one that just left. Pure, a bit per slot.
 */
public final class Slots {
  private final int size;
  private final BitSet used;
  private int cursor;

  public Slots(int size) {
    this.size = size;
    this.used = new BitSet(size);
  }

  public int inUse() {
    return used.cardinality();
  }

  /** Takes the next free slot after the last one handed out (wrapping); -1 when every slot is taken. */
  public int take() {
    int i = used.nextClearBit(cursor);
    if (i >= size) i = used.nextClearBit(0);
    if (i >= size) return -1;
    used.set(i);
    cursor = i + 1;
    return i;
  }

  /** Takes slot {@code i} (0 <= i < size); false if it was already taken. */
  public boolean take(int i) {
    if (used.get(i)) return false;
    used.set(i);
    return true;
  }

  public void free(int i) {
    used.clear(i);
  }
}
