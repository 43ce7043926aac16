/**
 * The group of actors for Spring Boot: {@link
 * dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration} runs the context's {@link
 * dev.rungroup.spring.Actor @Actor} beans as one group, configured by {@link
 * dev.rungroup.spring.autoconfigure.RunGroupProperties} ({@code run-group.*}): the lifecycle that
 * runs it, the scan that finds the actors, the log of each run and the application's exit once an
 * actor returned.
 */
@NullMarked
package dev.rungroup.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
