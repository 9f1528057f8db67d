package net.tinyisp.radius.dictionary;

import net.tinyisp.radius.wire.VendorSpecific;

/** A {@code VENDOR} line: name, SMI Private Enterprise Number, and sub-attribute layout ({@code format=T,L}). */
public record VendorDef(String name, int id, VendorSpecific.Format format) {}
