package dev.rungroup.spring.autoconfigure;

import dev.rungroup.spring.autoconfigure.ActorScanner.ActorDefinition;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds the Spring Integration {@code LockRegistry} that elects the leader actors, and refuses the
 * start when there is none to be found: Spring Integration absent, no such bean, two of them, or
 * one that locks only within this JVM. Its messages name the first leader actor and the fix.
 *
 * <p>Touches Spring Integration's types only once its {@code LockRegistry} is known to be present,
 * so that an application without Spring Integration sees no change.
 */
final class LeaderRegistry {

  static final String LOCK_REGISTRY = "org.springframework.integration.support.locks.LockRegistry";

  private static final List<String> IN_JVM =
      List.of(
          "org.springframework.integration.support.locks.DefaultLockRegistry",
          "org.springframework.integration.support.locks.PassThruLockRegistry");

  private static final String SET_UP =
      " declare one LockRegistry bean shared by the replicas, as a JdbcLockRegistry on the"
          + " application's database (spring-integration-jdbc, with its INT_LOCK table from"
          + " schema-postgresql.sql) or a Redis, ZooKeeper or Hazelcast registry";

  private LeaderRegistry() {}

  /**
   * The registry bean's name, checked.
   *
   * @param beanFactory where to look
   * @param actors the actors; the check runs only when one of them has a leader
   * @return the name of the one {@code LockRegistry} bean, or {@code null} when no actor has a
   *     leader
   * @throws ActorDefinitionException when the leader actors cannot be elected
   */
  static @Nullable String find(
      ConfigurableListableBeanFactory beanFactory, List<ActorDefinition> actors) {
    ActorDefinition first = null;
    for (ActorDefinition actor : actors) {
      if (actor.leader() != null) {
        first = actor;
        break;
      }
    }
    if (first == null) {
      return null;
    }
    String who =
        "@Actor(leader = \""
            + first.leader()
            + "\") on "
            + first.source()
            + " (actor '"
            + first.name()
            + "')";
    ClassLoader classLoader = beanFactory.getBeanClassLoader();
    if (!ClassUtils.isPresent(LOCK_REGISTRY, classLoader)) {
      throw new ActorDefinitionException(
          who
              + " needs a Spring Integration LockRegistry to elect the replica that runs it, but"
              + " Spring Integration is not on the class path. Fix: add the dependency"
              + " org.springframework.integration:spring-integration-jdbc and"
              + SET_UP
              + ".");
    }
    Class<?> type = ClassUtils.resolveClassName(LOCK_REGISTRY, classLoader);
    String[] names = beanFactory.getBeanNamesForType(type, true, false);
    if (names.length == 0) {
      throw new ActorDefinitionException(
          who
              + " needs a Spring Integration LockRegistry bean to elect the replica that runs it,"
              + " and the context has none. Fix:"
              + SET_UP
              + ".");
    }
    if (names.length > 1) {
      throw new ActorDefinitionException(
          who
              + " is elected through one LockRegistry bean, and the context has "
              + names.length
              + ": "
              + Arrays.toString(names)
              + ". Fix: keep one LockRegistry bean, the one shared by the replicas.");
    }
    Class<?> registryType = beanFactory.getType(names[0]);
    if (registryType != null) {
      for (String inJvm : IN_JVM) {
        if (ClassUtils.isPresent(inJvm, classLoader)
            && ClassUtils.resolveClassName(inJvm, classLoader).isAssignableFrom(registryType)) {
          throw new ActorDefinitionException(
              who
                  + " cannot be elected by the LockRegistry bean '"
                  + names[0]
                  + "' ("
                  + registryType.getName()
                  + "): it locks within this JVM only, so every replica would lead. Fix: replace"
                  + " it,"
                  + SET_UP
                  + ".");
        }
      }
    }
    return names[0];
  }
}
