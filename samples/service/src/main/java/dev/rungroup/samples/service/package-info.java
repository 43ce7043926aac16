/**
 * The article's four-component service, the shape Prometheus uses, as {@code @Actor} beans: a state
 * machine, an HTTP server of its own, cron jobs, and Spring's shutdown for signals.
 */
@NullMarked
package dev.rungroup.samples.service;

import org.jspecify.annotations.NullMarked;
