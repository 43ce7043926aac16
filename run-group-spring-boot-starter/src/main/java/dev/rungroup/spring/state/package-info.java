/**
 * The one model of the live state of each actor ({@link
 * dev.rungroup.spring.state.RunGroupActorStates}): written from the group's events, read by the
 * health contributor, the {@code actors} endpoint, the meters and any other feature that shows the
 * group.
 */
@NullMarked
package dev.rungroup.spring.state;

import org.jspecify.annotations.NullMarked;
