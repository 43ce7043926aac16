package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.ActorContext;
import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;
import org.springframework.util.ReflectionUtils;

/**
 * The reflection hints of the actors, as Spring's ahead-of-time processing of the context collects
 * them (the processor found through {@code META-INF/spring/aot.factories}): what a native image
 * needs to find and call every {@code @Actor} method, {@code interrupt} method and method taking an
 * {@link ActorContext}. The JVM's AOT mode runs without hints, so only these predicates check them.
 */
class ActorRuntimeHintsTests {

  @Test
  void everyActorMethodInterruptMethodAndActorContextMethodIsRegisteredForInvocation() {
    RuntimeHints hints = processAheadOfTime();
    assertThat(invocable(hints, Consumer.class, "poll")).isTrue();
    assertThat(invocable(hints, Consumer.class, "halt")).isTrue();
    assertThat(invocable(hints, Consumer.class, "signal", ActorContext.class)).isTrue();
    assertThat(RuntimeHintsPredicates.reflection().onType(Consumer.class).test(hints)).isTrue();
    // a method that is neither an actor nor an interrupt gets no hint
    assertThat(invocable(hints, Consumer.class, "helper")).isFalse();
  }

  @Test
  void aClassActorAndABeanMethodActorHaveTheirClassRegistered() {
    RuntimeHints hints = processAheadOfTime();
    assertThat(RuntimeHintsPredicates.reflection().onType(ClassActor.class).test(hints)).isTrue();
    assertThat(invocable(hints, NotAnActor.class, "work")).isFalse();
  }

  @Test
  void aContextWithoutActorsContributesNoHints() {
    GenericApplicationContext context = new GenericApplicationContext();
    context.registerBean("plain", NotAnActor.class);
    assertThat(new ActorAotProcessor().processAheadOfTime(context.getBeanFactory())).isNull();
  }

  private static RuntimeHints processAheadOfTime() {
    GenericApplicationContext context = new GenericApplicationContext();
    context.registerBean("consumer", Consumer.class);
    context.registerBean("classActor", ClassActor.class);
    context.registerBean("plain", NotAnActor.class);
    context.registerBean(Actors.class);
    DefaultGenerationContext generation = generationContext();
    new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
    return generation.getRuntimeHints();
  }

  private static DefaultGenerationContext generationContext() {
    return new DefaultGenerationContext(
        new ClassNameGenerator(ClassName.get("dev.rungroup.spring.aot", "Generated")),
        new InMemoryGeneratedFiles());
  }

  private static boolean invocable(
      RuntimeHints hints, Class<?> type, String name, Class<?>... parameters) {
    Method method = ReflectionUtils.findMethod(type, name, parameters);
    assertThat(method).as(type.getSimpleName() + "." + name).isNotNull();
    return RuntimeHintsPredicates.reflection().onMethodInvocation(method).test(hints);
  }

  /** Method actors: one with an interrupt method, one taking its ActorContext. */
  static class Consumer {
    @Actor(interrupt = "halt")
    void poll() {}

    void halt() {}

    @Actor
    void signal(ActorContext context) {
      context.ready();
    }

    void helper() {}
  }

  @Actor
  static class ClassActor implements Interruptible {
    @Override
    public void execute() {}

    @Override
    public void interrupt(@Nullable Throwable cause) {}
  }

  static class NotAnActor {
    void work() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class Actors {
    @Bean
    @Actor
    Interruptible fromBeanMethod() {
      return new ClassActor();
    }
  }
}
