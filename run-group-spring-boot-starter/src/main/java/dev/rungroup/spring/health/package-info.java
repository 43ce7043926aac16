/**
 * The {@code runGroup} health contributor ({@link
 * dev.rungroup.spring.health.RunGroupHealthIndicator}), configured by {@link
 * dev.rungroup.spring.health.RunGroupHealthAutoConfiguration} when Spring Boot's health support is
 * present; it reads the actors' states from {@link dev.rungroup.spring.state.RunGroupActorStates}.
 */
@NullMarked
package dev.rungroup.spring.health;

import org.jspecify.annotations.NullMarked;
