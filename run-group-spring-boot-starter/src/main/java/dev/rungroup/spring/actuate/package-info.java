/**
 * Actuator support for run-group: the {@code runGroup} health contributor ({@link
 * dev.rungroup.spring.actuate.ActorGroupHealthIndicator}) and the read-only {@code actors} endpoint
 * ({@link dev.rungroup.spring.actuate.ActorsEndpoint}), each in its own conditional
 * auto-configuration, both fed by the group's events.
 */
@NullMarked
package dev.rungroup.spring.actuate;

import org.jspecify.annotations.NullMarked;
