/**
 * Prometheus's shape as a graph of {@code @Actor} methods in a Spring Boot web application:
 * migrations, storage, config, then web, scrape and rules, and a supervised upstream poller.
 */
@NullMarked
package dev.rungroup.samples.service;

import org.jspecify.annotations.NullMarked;
