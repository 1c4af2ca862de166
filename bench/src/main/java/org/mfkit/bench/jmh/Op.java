package org.mfkit.bench.jmh;

/** One timed operation of a benchmark; returns something derived from its output for the Blackhole. */
@FunctionalInterface
interface Op {
    Object run();
}
