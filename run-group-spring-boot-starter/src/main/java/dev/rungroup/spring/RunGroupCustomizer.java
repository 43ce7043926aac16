package dev.rungroup.spring;

import dev.rungroup.Group;

/**
 * Adjusts the {@link Group.Builder} of the context's group before each run: a thread factory (for
 * example one that propagates a context), an extra listener, another stop grace. Declare it as a
 * bean; customizers are applied in {@link org.springframework.core.annotation.Order @Order}, after
 * the settings from the {@code run-group.*} properties and after the {@link
 * dev.rungroup.GroupListener} beans were added, so they can override them.
 */
@FunctionalInterface
public interface RunGroupCustomizer {

  /**
   * Customizes the builder of a group about to run.
   *
   * @param builder the builder, already configured from the properties
   */
  void customize(Group.Builder builder);
}
