/**
 * Auto-configuration of run-group for Spring Boot: {@link
 * dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration} runs the context's {@link
 * dev.rungroup.spring.Actor @Actor} beans as one group, configured by {@link
 * dev.rungroup.spring.autoconfigure.RunGroupProperties} ({@code run-group.*}).
 */
@NullMarked
package dev.rungroup.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
