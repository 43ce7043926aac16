/** The oklog/run article's three-actor example as {@code @Actor} beans of a Spring Boot app. */
@NullMarked
package dev.rungroup.samples.seed;

import org.jspecify.annotations.NullMarked;
