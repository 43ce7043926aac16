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
 *   <li>an instance method of any bean, public or not, that takes no argument or one {@link
 *       dev.rungroup.ActorContext} (the context of the incarnation, as {@code
 *       ActorContext.current()} on its thread): the actor's {@code execute} calls it (through the
 *       bean, so that proxies and aspects apply; a private method of a proxied bean cannot be
 *       reached and is refused). Its {@code interrupt} is the bean's method named by {@link
 *       #interrupt()}, else {@link Thread#interrupt()} on the thread running it. An exception that
 *       this interrupt causes, thrown by the method once the group is stopping, counts as a normal
 *       return: an {@link InterruptedException}, an {@link java.io.InterruptedIOException}, a
 *       {@link java.nio.channels.ClosedByInterruptException} (blocking NIO channels), an exception
 *       caused by one of these, or a {@link java.net.SocketException} thrown while the thread's
 *       interrupt flag is set (a virtual thread's socket closed by the interrupt); at any other
 *       time each is a failure like any other exception. A method that closes the context itself is
 *       not interrupted while it does: the rest of the close (other lifecycles, the beans' destroy
 *       methods) runs on its thread. The method's result is ignored.
 * </ul>
 *
 * <p>An actor bean is a singleton; a prototype-scoped {@code Interruptible} bean is allowed once
 * its {@link #restart()} restarts it, and each incarnation (the first run and every restart) is a
 * fresh bean, got from the bean factory on the actor's thread when the incarnation starts. As for
 * any prototype, Spring does not call its destroy methods: the bean releases what it holds in its
 * {@code interrupt} or at the end of its {@code execute}.
 *
 * <p>Anything else ({@code @Actor} on a bean that is not an {@code Interruptible}, on a method with
 * other parameters or a static method, on a bean of another scope, two actors with the same name,
 * or a name the {@code actors} endpoint cannot address) fails the context start with a message
 * naming the bean, the member and the fix.
 *
 * <p><b>Properties.</b> {@code run-group.startup-timeout} and {@code run-group.restart.*} tune
 * every actor, {@code run-group.actors[<name>].*} one actor (bracket form: the names of method
 * actors contain a dot): its startup timeout, and, for an actor that {@link #restart()} restarts,
 * its budget and backoff.
 *
 * <p><b>Order.</b> The actors are added to the group in a topological order of their {@link
 * #after()} names (an actor after those it names), ties broken by the bean's {@link
 * org.springframework.core.annotation.Order @Order} (on the class or the {@code @Bean} method) or
 * {@link org.springframework.core.Ordered Ordered} (a prototype bean: its {@code @Order} only),
 * then by bean registration order. The method actors of one bean take the bean's place, after the
 * bean itself if it is an actor too, sorted by the method's {@code @Order}, then by method name.
 * The group interrupts them in the reverse of their {@code after} edges, ties in that order: with
 * no {@code after} anywhere, exactly that order.
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
   * Whether the actor is restarted instead of stopping the group; the properties {@code
   * run-group.restart.*} and {@code run-group.actors[<name>].restart.*} tune how (budget, backoff,
   * jitter), and may be set only for an actor restarted here. A method actor is invoked again; a
   * singleton bean actor's {@code execute} is called again on the same bean, so it must then be
   * re-runnable (its interrupt of the failed incarnation comes first, and must not leave the bean
   * unable to run again); a prototype-scoped bean actor is a fresh bean at each restart.
   *
   * @return the restart; {@link Restart#NEVER} by default
   * @since 0.2
   */
  Restart restart() default Restart.NEVER;

  /**
   * For a method actor: the name of a no-argument instance method of the same bean (public or not)
   * that the group calls as the actor's interrupt, instead of {@link Thread#interrupt()} on the
   * thread running the actor method, for code that interrupts do not reach (a socket to close, a
   * flag to clear, a client to shut down). It is called, through the bean, on the thread that stops
   * the group, while the actor method runs (or is about to: the method is then not invoked); not
   * for an incarnation whose method has already returned. Once it was called, whatever the actor
   * method throws counts as a normal return, as an {@link InterruptedException} does; what the
   * interrupt method throws is recorded as the actor's interrupt error. It must be quick and safe
   * to call at any time.
   *
   * <p>Beware of {@code close} (and {@code shutdown}): Spring also calls a public method of that
   * name as the bean's destroy method (the inferred destroy method of a {@code @Bean} bean, and
   * {@code close} of any {@code AutoCloseable} bean), after the group has stopped, so an interrupt
   * method with that name is called twice and must be idempotent.
   *
   * <p>Not for a bean actor, whose interrupt is its {@code Interruptible.interrupt}. A name that is
   * no such method (none of that name, one with parameters, a static one, the actor method itself,
   * another {@code @Actor} method, a private one of a proxied bean) fails the context start.
   *
   * @return the method's name; empty (the default) for {@link Thread#interrupt()}
   * @since 0.2
   */
  String interrupt() default "";

  /**
   * The leadership this actor runs under: it runs on one replica at a time, the one that holds the
   * leadership of that name, elected through the application's Spring Integration {@code
   * LockRegistry} bean (a {@code JdbcLockRegistry} on a shared database, or a Redis, ZooKeeper or
   * Hazelcast one; an in-JVM {@code DefaultLockRegistry}, none or two fail the context start). On a
   * replica that does not hold it the actor is on standby, which counts as ready. Gaining the
   * leadership starts the leadership's actors as fresh incarnations; losing it (the lock lost, its
   * renewal failing, or no renewal confirmed for longer than {@code
   * run-group.leadership.time-to-live} less {@code .margin}) interrupts them in their stop order,
   * waits for them and contends again: the group goes on, and it is not a restart. On shutdown the
   * actors stop before the lock is released, so that a standby replica takes over at once. A leader
   * actor that fails, or returns while not one-shot, stops the group as any actor (or restarts
   * under its {@link #restart()}).
   *
   * <p>{@link #after()} may name a leader actor only from an actor with the same leader; a leader
   * actor may start after actors of every replica (its leadership is then contended once they are
   * ready).
   *
   * @return the leadership's name; empty (the default) for an actor of every replica
   * @since 0.2
   */
  String leader() default "";
}
