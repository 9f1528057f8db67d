package net.tinyisp.ppp.link;

/** RFC 1661 §3.2 link phases. */
public enum Phase { DEAD, ESTABLISH, AUTHENTICATE, NETWORK, TERMINATE }
