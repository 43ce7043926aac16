/**
 * The minimal Spring Boot application that {@link dev.rungroup.bench.StarterStartup} starts in a
 * fresh JVM per sample: N beans of one {@code @Actor} class ({@link
 * dev.rungroup.bench.starter.LatchActor}), with the starter on the classpath (the beans run as a
 * group) or without it (the beans just exist).
 */
@NullMarked
package dev.rungroup.bench.starter;

import org.jspecify.annotations.NullMarked;
