/**
 * Micrometer meters for run-group ({@link
 * dev.rungroup.spring.metrics.RunGroupMetricsAutoConfiguration}): actors running, exits, restarts,
 * run, ready and stop times.
 */
@NullMarked
package dev.rungroup.spring.metrics;

import org.jspecify.annotations.NullMarked;
