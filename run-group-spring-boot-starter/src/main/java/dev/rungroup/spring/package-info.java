/**
 * run-group for Spring Boot: {@link dev.rungroup.spring.Actor @Actor} marks the actors of an
 * application context, which run together as one {@link dev.rungroup.Group}; {@link
 * dev.rungroup.spring.ActorGroup} gives the running group's state and {@link
 * dev.rungroup.spring.RunGroupCustomizer} adjusts it. The auto-configuration lives in {@code
 * dev.rungroup.spring.autoconfigure}.
 *
 * <p>Every type in this package is null-marked: parameters and results are non-null unless
 * annotated {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.rungroup.spring;

import org.jspecify.annotations.NullMarked;
