/**
 * Replicas of one application on a shared PostgreSQL: {@code billing} runs on the replica that
 * holds the leadership {@code billing}, {@code ticker} on every replica.
 */
@NullMarked
package dev.rungroup.samples.cluster;

import org.jspecify.annotations.NullMarked;
