/** The oklog/run article's three-actor example, in plain Java. */
@NullMarked
package dev.rungroup.samples.plain;

import org.jspecify.annotations.NullMarked;
