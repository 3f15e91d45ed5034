package io.deltasync.config;

/**
 * Embedded mode: the two regions are local folders (or any Hadoop URI). A table
 * {@code c.s.t} lives at {@code <region>/c/s/t}; the primary's run log is at
 * {@code <primary>/_runs}.
 */
public record LocalRegions(String primaryDir, String secondaryDir) {}
