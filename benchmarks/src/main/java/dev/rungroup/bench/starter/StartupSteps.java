package dev.rungroup.bench.starter;

import dev.rungroup.bench.starter.CpuTimeStartup.Recorded;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where a start-up's CPU time went, from Spring's start-up steps as {@link CpuTimeStartup} recorded
 * them: the steps by name (each counted once, not again inside a step of the same name), the
 * starter's beans (each {@code spring.beans.instantiate} step of a bean whose type is in {@code
 * dev.rungroup.spring}, with what it creates in turn) and the beans called once all singletons
 * exist ({@code spring.beans.smart-initialize}: run-group's actor scan is {@code
 * runGroupLifecycle}'s).
 */
final class StartupSteps {

  private static final String INSTANTIATE = "spring.beans.instantiate";
  private static final String SMART_INITIALIZE = "spring.beans.smart-initialize";
  private static final String STARTER_PACKAGE = "dev.rungroup.spring.";

  private StartupSteps() {}

  /**
   * The summary of the recorded steps as {@code key=nanoseconds} pairs: {@code starterBeans} (the
   * starter's beans, created, without counting a bean inside another twice), {@code
   * starterBeanCount}, {@code step.<name>} for each step name, {@code bean.<name>} for each of the
   * starter's beans and {@code smart-initialize.<name>} for each bean called once all singletons
   * exist.
   */
  static Map<String, Long> summary(CpuTimeStartup startup, ConfigurableApplicationContext context) {
    List<Recorded> steps = startup.steps();
    Map<Long, Recorded> byId = new HashMap<>();
    for (Recorded step : steps) {
      byId.put(step.id(), step);
    }
    Map<String, Long> byName = new TreeMap<>();
    Map<String, Long> details = new TreeMap<>();
    long starterBeans = 0;
    long starterBeanCount = 0;
    for (Recorded step : steps) {
      if (!hasAncestorNamed(step, step.name(), byId)) {
        byName.merge(step.name(), step.cpuNanos(), Long::sum);
      }
      String beanName = step.tags().getOrDefault("beanName", "?");
      if (isStarterBean(step, context)) {
        details.merge("bean." + beanName, step.cpuNanos(), Long::sum);
        if (!hasStarterBeanAncestor(step, byId, context)) {
          starterBeans += step.cpuNanos();
          starterBeanCount++;
        }
      }
      if (step.name().equals(SMART_INITIALIZE)) {
        details.merge("smart-initialize." + beanName, step.cpuNanos(), Long::sum);
      }
    }
    Map<String, Long> summary = new LinkedHashMap<>();
    summary.put("starterBeans", starterBeans);
    summary.put("starterBeanCount", starterBeanCount);
    byName.forEach((name, total) -> summary.put("step." + name, total));
    summary.putAll(details);
    return summary;
  }

  /** The summary as one line of {@code key=value} pairs. */
  static String line(Map<String, Long> summary) {
    StringBuilder line = new StringBuilder();
    summary.forEach((key, value) -> line.append(String.format(Locale.ROOT, " %s=%d", key, value)));
    return line.toString().trim();
  }

  private static boolean hasAncestorNamed(Recorded step, String name, Map<Long, Recorded> byId) {
    for (Recorded at = parent(step, byId); at != null; at = parent(at, byId)) {
      if (at.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasStarterBeanAncestor(
      Recorded step, Map<Long, Recorded> byId, ConfigurableApplicationContext context) {
    for (Recorded at = parent(step, byId); at != null; at = parent(at, byId)) {
      if (isStarterBean(at, context)) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable Recorded parent(Recorded step, Map<Long, Recorded> byId) {
    Long parentId = step.parentId();
    return parentId == null ? null : byId.get(parentId);
  }

  private static boolean isStarterBean(Recorded step, ConfigurableApplicationContext context) {
    String beanName = step.tags().get("beanName");
    if (!step.name().equals(INSTANTIATE) || beanName == null) {
      return false;
    }
    if (beanName.startsWith(STARTER_PACKAGE)) {
      return true; // an auto-configuration class, by its bean name
    }
    try {
      Class<?> type = context.getBeanFactory().getType(beanName, false);
      return type != null && type.getName().startsWith(STARTER_PACKAGE);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
