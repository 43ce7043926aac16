/**
 * run-group: the actor-group pattern of Go's {@code oklog/run} for Java.
 *
 * <p>A {@link dev.rungroup.Group} runs {@linkplain dev.rungroup.Interruptible actors}, each on its
 * own thread. The first actor to return, normally or with an error, makes the group interrupt every
 * actor and wait for all of them; {@link dev.rungroup.Group#run()} then reports why it stopped in
 * an {@link dev.rungroup.Exit}. {@link dev.rungroup.Actors} holds ready-made actors and {@link
 * dev.rungroup.GroupListener} receives the group's events.
 *
 * <p>Every type in this package is null-marked: parameters and results are non-null unless
 * annotated {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.rungroup;

import org.jspecify.annotations.NullMarked;
