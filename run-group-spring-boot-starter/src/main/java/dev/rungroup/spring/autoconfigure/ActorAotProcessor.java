package dev.rungroup.spring.autoconfigure;

import dev.rungroup.spring.Actor;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Ahead-of-time processing: the reflection hints that the starter's discovery of actors needs in a
 * native image. For every bean class with {@code @Actor} on it or on its methods: the class itself
 * (its methods and annotations read at startup), each {@code @Actor} method (invoked, also one
 * taking an {@link dev.rungroup.ActorContext}) and each method that {@code @Actor(interrupt)} names
 * (invoked). An {@code @Actor} {@code Interruptible} bean is called through its interface and needs
 * no hint of its own beyond its class. Registered in {@code META-INF/spring/aot.factories}.
 *
 * <p>Stateless, so thread-safe.
 */
final class ActorAotProcessor implements BeanFactoryInitializationAotProcessor {

  @Override
  public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
      ConfigurableListableBeanFactory beanFactory) {
    Set<Class<?>> actorClasses = new HashSet<>();
    for (String beanName : beanFactory.getBeanDefinitionNames()) {
      Class<?> type;
      try {
        type = beanFactory.getType(beanName, false);
      } catch (RuntimeException e) {
        continue; // as the scan at startup: a bean whose type cannot be resolved is skipped
      }
      if (type == null) {
        continue;
      }
      Class<?> userClass = ClassUtils.getUserClass(type);
      if (AnnotationUtils.isCandidateClass(userClass, Actor.class)
          && (AnnotatedElementUtils.hasAnnotation(userClass, Actor.class)
              || !ActorScanner.actorMethods(userClass).isEmpty())) {
        actorClasses.add(userClass);
      }
    }
    if (actorClasses.isEmpty()) {
      return null;
    }
    return (generationContext, code) -> {
      ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
      for (Class<?> actorClass : actorClasses) {
        register(reflection, actorClass);
      }
    };
  }

  /** The hints of one bean class with actors. */
  static void register(ReflectionHints reflection, Class<?> actorClass) {
    reflection.registerType(actorClass);
    for (Map.Entry<Method, Actor> entry : ActorScanner.actorMethods(actorClass).entrySet()) {
      reflection.registerMethod(entry.getKey(), ExecutableMode.INVOKE);
      String interrupt = entry.getValue().interrupt();
      if (!interrupt.isEmpty()) {
        for (Method method :
            ReflectionUtils.getUniqueDeclaredMethods(
                actorClass, ReflectionUtils.USER_DECLARED_METHODS)) {
          if (method.getName().equals(interrupt) && method.getParameterCount() == 0) {
            reflection.registerMethod(method, ExecutableMode.INVOKE);
          }
        }
      }
    }
  }
}
