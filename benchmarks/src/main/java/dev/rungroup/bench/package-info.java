/**
 * Benchmarks of run-group: JMH benchmarks of the core ({@link
 * dev.rungroup.bench.ScenarioABenchmark}, {@link dev.rungroup.bench.ScenarioBBenchmark}) and a
 * side-by-side harness ({@link dev.rungroup.bench.Compare}) that runs run-group's {@code Group}, a
 * minimal baseline, Guava's {@code ServiceManager} and, on Java 25, {@code StructuredTaskScope} in
 * one JVM, with, when given an earlier build of the core, that engine and this build's each in a
 * child JVM ({@link dev.rungroup.bench.ChildContender}), and writes a table, a CSV file and charts;
 * and the starter start-up benchmark ({@link dev.rungroup.bench.StarterStartup}), which starts a
 * minimal Spring Boot application with and without run-group's starter in fresh JVMs.
 */
@NullMarked
package dev.rungroup.bench;

import org.jspecify.annotations.NullMarked;
