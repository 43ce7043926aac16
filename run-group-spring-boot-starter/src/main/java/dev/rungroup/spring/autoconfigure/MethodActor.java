package dev.rungroup.spring.autoconfigure;

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
 * A no-argument bean method run as an actor: {@code execute} calls the method on the bean, {@code
 * interrupt} interrupts the thread running it. Once the group is stopping, an exception that the
 * interrupt caused is a normal return: an {@link InterruptedException}, an {@link
 * InterruptedIOException} (not a {@link SocketTimeoutException}), a {@link
 * ClosedByInterruptException} (interruptible NIO channels), anything caused by one of these, and a
 * {@link SocketException} thrown with the thread's interrupt flag set (a virtual thread's socket
 * closed by the interrupt). At any other time each is a failure. The interrupt leaves the thread
 * alone while it stops or closes the context itself (it is then running the rest of the close, not
 * the actor). One instance serves one run of the group.
 */
final class MethodActor implements Interruptible {

  private final Object bean;
  private final Method method;
  private final BooleanSupplier groupStopping;
  private final Predicate<Thread> closingContext;

  private final Object lock = new Object();
  // Guarded by lock.
  private @Nullable Thread runner;
  private boolean interrupted;

  /**
   * @param bean the bean (the proxy, if any) to call the method on
   * @param method the method, accessible and invocable on {@code bean}
   * @param groupStopping whether the group has begun to stop
   * @param closingContext whether a thread of the run is stopping or closing the context
   */
  MethodActor(
      Object bean, Method method, BooleanSupplier groupStopping, Predicate<Thread> closingContext) {
    this.bean = bean;
    this.method = method;
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
      method.invoke(bean);
    } catch (InvocationTargetException e) {
      Throwable failure = e.getCause() == null ? e : e.getCause();
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
    synchronized (lock) {
      interrupted = true;
      Thread thread = runner;
      if (thread != null && !closingContext.test(thread)) {
        thread.interrupt();
      }
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
    return "MethodActor[" + method.getDeclaringClass().getName() + "." + method.getName() + "()]";
  }
}
