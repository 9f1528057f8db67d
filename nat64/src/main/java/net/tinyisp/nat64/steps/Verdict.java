package net.tinyisp.nat64.steps;

/** What a pipeline step decided about the packet (Jool's verdicts). */
public enum Verdict {
  /** Go on with the next step. */
  CONTINUE,
  /** Discard; {@link PacketContext#dropReason} says why and is counted. */
  DROP,
  /** Not translatable (RFC 6146 §3.4 / RFC 7915 "silently drop"); counted with its reason like a drop. */
  UNTRANSLATABLE,
  /** The step kept the packet (a fragment waiting for its siblings) or already emitted everything. */
  CONSUMED
}
