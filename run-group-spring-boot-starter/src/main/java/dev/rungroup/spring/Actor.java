package dev.rungroup.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an actor of the application context. All actors of a context run together as one {@link
 * dev.rungroup.Group}, started once the context is refreshed: the first actor to return, normally
 * or with an exception, stops the group, which interrupts every actor and waits for them; the
 * context is then closed and, in an application started by {@code SpringApplication.run}, the JVM
 * exits with Spring's exit code.
 *
 * <p>{@code @Actor} goes on one of:
 *
 * <ul>
 *   <li>a bean class implementing {@link dev.rungroup.Interruptible} (component-scanned or declared
 *       as a bean);
 *   <li>a {@code @Bean} method whose bean is an {@link dev.rungroup.Interruptible};
 *   <li>a no-argument instance method of any bean, public or not: the actor's {@code execute} calls
 *       it (through the bean, so that proxies and aspects apply; a private method of a proxied bean
 *       cannot be reached and is refused) and its {@code interrupt} calls {@link
 *       Thread#interrupt()} on the thread running it. An {@link InterruptedException} thrown by the
 *       method once the group is stopping counts as a normal return; at any other time it is a
 *       failure like any other exception. The method's result is ignored.
 * </ul>
 *
 * <p>Anything else ({@code @Actor} on a bean that is not an {@code Interruptible}, on a method with
 * parameters or a static method, or two actors with the same name) fails the context start with a
 * message naming the bean, the member and the fix.
 *
 * <p><b>Order.</b> Actors are ordered, and so interrupted, by the bean's {@link
 * org.springframework.core.annotation.Order @Order} (on the class or the {@code @Bean} method) or
 * {@link org.springframework.core.Ordered Ordered}, then by bean registration order. The method
 * actors of one bean take the bean's place, after the bean itself if it is an actor too, sorted by
 * the method's {@code @Order}, then by method name.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Actor {

  /**
   * The actor's name, unique in the context: it names the actor's thread, its outcome in the
   * group's {@link dev.rungroup.Exit} and the log lines about it.
   *
   * @return the name; empty (the default) for the bean name, or {@code beanName.methodName} for a
   *     method actor
   */
  String name() default "";
}
