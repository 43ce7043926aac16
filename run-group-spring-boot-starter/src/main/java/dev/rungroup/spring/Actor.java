package dev.rungroup.spring;

import dev.rungroup.Readiness;
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
 *       Thread#interrupt()} on the thread running it. An exception that this interrupt causes,
 *       thrown by the method once the group is stopping, counts as a normal return: an {@link
 *       InterruptedException}, an {@link java.io.InterruptedIOException}, a {@link
 *       java.nio.channels.ClosedByInterruptException} (blocking NIO channels), an exception caused
 *       by one of these, or a {@link java.net.SocketException} thrown while the thread's interrupt
 *       flag is set (a virtual thread's socket closed by the interrupt); at any other time each is
 *       a failure like any other exception. A method that closes the context itself is not
 *       interrupted while it does: the rest of the close (other lifecycles, the beans' destroy
 *       methods) runs on its thread. The method's result is ignored.
 * </ul>
 *
 * <p>Anything else ({@code @Actor} on a bean that is not an {@code Interruptible}, on a method with
 * parameters or a static method, two actors with the same name, or a name the {@code actors}
 * endpoint cannot address) fails the context start with a message naming the bean, the member and
 * the fix.
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
   * group's {@link dev.rungroup.Exit}, the log lines about it and its path under the {@code actors}
   * endpoint. Dots and most other characters are fine; a name with {@code /}, {@code \}, {@code %},
   * {@code ;} or a control character, and the names {@code .} and {@code ..}, cannot be addressed
   * in a URL path (web servers or Spring Security's firewall refuse them) and fail the context
   * start.
   *
   * @return the name; empty (the default) for the bean name, or {@code beanName.methodName} for a
   *     method actor
   */
  String name() default "";

  /**
   * The actors this one starts after: its {@code execute} begins only once each of them is ready,
   * and during the stop they are interrupted only after this one returned. Names of actors of the
   * same context ({@code beanName.methodName} for a method actor without a name); the starter adds
   * the actors in a topological order of these edges, so an unknown name or a cycle fails the
   * context start, naming the actors.
   *
   * @return the names; empty (the default) for none
   * @since 0.2
   */
  String[] after() default {};

  /**
   * When the actor counts as ready: once its {@code execute} begins (the default), or when it calls
   * {@link dev.rungroup.ActorContext#ready()}.
   *
   * @return the kind of readiness
   * @since 0.2
   */
  Readiness readiness() default Readiness.ON_START;

  /**
   * Whether a normal return ends this actor only (a migration, a cache warm-up): the group goes on
   * and the actor counts as ready. A failure still stops the group, unless {@link #restart()}
   * restarts it.
   *
   * @return {@code true} for a one-shot actor
   * @since 0.2
   */
  boolean oneShot() default false;

  /**
   * Whether the actor is restarted instead of stopping the group. A method actor is invoked again,
   * a bean actor's {@code execute} is called again on the same bean (it must then be re-runnable).
   *
   * @return the restart; {@link Restart#NEVER} by default
   * @since 0.2
   */
  Restart restart() default Restart.NEVER;
}
