/**
 * The read-only {@code actors} endpoint ({@link dev.rungroup.spring.endpoint.ActorsEndpoint}),
 * configured by {@link dev.rungroup.spring.endpoint.ActorsEndpointAutoConfiguration} when Actuator
 * is present; it reads the actors' states from {@link
 * dev.rungroup.spring.state.RunGroupActorStates}.
 */
@NullMarked
package dev.rungroup.spring.endpoint;

import org.jspecify.annotations.NullMarked;
