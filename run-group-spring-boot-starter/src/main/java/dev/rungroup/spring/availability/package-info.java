/**
 * Spring Boot application availability for run-group: readiness and liveness follow the group
 * ({@link dev.rungroup.spring.availability.RunGroupAvailabilityAutoConfiguration}).
 */
@NullMarked
package dev.rungroup.spring.availability;

import org.jspecify.annotations.NullMarked;
