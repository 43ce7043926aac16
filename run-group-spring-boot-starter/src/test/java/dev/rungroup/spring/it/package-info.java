/** Tests that run a Spring Boot application with actors as a real process. */
@NullMarked
package dev.rungroup.spring.it;

import org.jspecify.annotations.NullMarked;
