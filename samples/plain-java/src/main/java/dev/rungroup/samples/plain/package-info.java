/**
 * The oklog/run article's three-actor example, and the shape of Prometheus's start-up with a
 * supervised actor, in plain Java.
 */
@NullMarked
package dev.rungroup.samples.plain;

import org.jspecify.annotations.NullMarked;
