package dev.rungroup.spring.autoconfigure;

import dev.rungroup.ActorContext;
import dev.rungroup.Interruptible;
import java.io.InterruptedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A bean method run as an actor: {@code execute} calls the method on the bean (with the
 * incarnation's {@link ActorContext} if it takes one), {@code interrupt} calls the bean's interrupt
 * method if the actor names one, else interrupts the thread running the method.
 *
 * <p>Without an interrupt method: once the group is stopping, an exception that the interrupt
 * caused is a normal return: an {@link InterruptedException}, an {@link InterruptedIOException}
 * (not a {@link SocketTimeoutException}), a {@link ClosedByInterruptException} (interruptible NIO
 * channels), anything caused by one of these, and a {@link SocketException} thrown with the
 * thread's interrupt flag set (a virtual thread's socket closed by the interrupt). At any other
 * time each is a failure. The interrupt leaves the thread alone while it stops or closes the
 * context itself (it is then running the rest of the close, not the actor).
 *
 * <p>With an interrupt method: it is called while the method runs (not once it returned, nor before
 * it began: the method is then not invoked), outside this actor's lock; once it was called,
 * whatever the method throws is a normal return, as are the exceptions above once the group is
 * stopping (the group's stop timeout may still interrupt the thread). What it throws is rethrown
 * from {@code interrupt}, so the group records it as the actor's interrupt error.
 *
 * <p>One instance serves one incarnation. Thread-safe: one lock guards the running thread and
 * whether the actor was interrupted; no user code runs under it.
 */
final class MethodActor implements Interruptible {

  private final Object bean;
  private final Method method;
  private final boolean takesContext;
  private final @Nullable Method interruptMethod;
  private final BooleanSupplier groupStopping;
  private final Predicate<Thread> closingContext;

  private final Object lock = new Object();
  // Guarded by lock.
  private @Nullable Thread runner;
  private boolean interrupted;

  /**
   * @param bean the bean (the proxy, if any) to call the method on
   * @param method the method, accessible and invocable on {@code bean}
   * @param takesContext whether the method takes the incarnation's {@link ActorContext}
   * @param interruptMethod the no-argument method to call as the interrupt, accessible and
   *     invocable on {@code bean}, or {@code null} to interrupt the thread
   * @param groupStopping whether the group has begun to stop
   * @param closingContext whether a thread of the run is stopping or closing the context
   */
  MethodActor(
      Object bean,
      Method method,
      boolean takesContext,
      @Nullable Method interruptMethod,
      BooleanSupplier groupStopping,
      Predicate<Thread> closingContext) {
    this.bean = bean;
    this.method = method;
    this.takesContext = takesContext;
    this.interruptMethod = interruptMethod;
    this.groupStopping = groupStopping;
    this.closingContext = closingContext;
  }

  @Override
  public void execute() throws Exception {
    synchronized (lock) {
      if (interrupted) {
        return;
      }
      runner = Thread.currentThread();
    }
    try {
      if (takesContext) {
        method.invoke(bean, ActorContext.current());
      } else {
        method.invoke(bean);
      }
    } catch (InvocationTargetException e) {
      Throwable failure = e.getCause() == null ? e : e.getCause();
      if (interruptMethod != null && interrupted()) {
        return; // what the interrupt method made the actor method throw
      }
      if (causedByInterrupt(failure) && stopping()) {
        return;
      }
      throw rethrowable(failure);
    } finally {
      synchronized (lock) {
        runner = null;
      }
    }
  }

  @Override
  public void interrupt(@Nullable Throwable cause) {
    Method custom = interruptMethod;
    synchronized (lock) {
      interrupted = true;
      Thread thread = runner;
      if (thread == null) {
        return; // not begun (it will not) or returned: nothing to interrupt
      }
      if (custom == null) {
        if (!closingContext.test(thread)) {
          thread.interrupt();
        }
        return;
      }
    }
    try {
      custom.invoke(bean);
    } catch (InvocationTargetException e) {
      Throwable failure = e.getCause() == null ? e : e.getCause();
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      throw new UndeclaredThrowableException(
          failure,
          "The interrupt method "
              + custom.getDeclaringClass().getName()
              + "."
              + custom.getName()
              + "() threw "
              + failure);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("The interrupt method cannot be called: " + custom, e);
    }
  }

  private boolean interrupted() {
    synchronized (lock) {
      return interrupted;
    }
  }

  private boolean stopping() {
    synchronized (lock) {
      if (interrupted) {
        return true;
      }
    }
    return groupStopping.getAsBoolean();
  }

  /** Whether {@code failure} is what interruptible blocking code throws once interrupted. */
  static boolean causedByInterrupt(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
      if (cause instanceof InterruptedException
          || cause instanceof ClosedByInterruptException
          || (cause instanceof InterruptedIOException && !(cause instanceof SocketTimeoutException))
          || (cause instanceof SocketException && Thread.currentThread().isInterrupted())) {
        return true;
      }
    }
    return false;
  }

  private static Exception rethrowable(Throwable failure) {
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure instanceof Exception exception) {
      return exception;
    }
    return new UndeclaredThrowableException(failure);
  }

  @Override
  public String toString() {
    return "MethodActor["
        + method.getDeclaringClass().getName()
        + "."
        + method.getName()
        + (takesContext ? "(ActorContext)" : "()")
        + "]";
  }
}
