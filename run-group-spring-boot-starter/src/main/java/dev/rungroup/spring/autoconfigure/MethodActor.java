package dev.rungroup.spring.autoconfigure;

import dev.rungroup.Interruptible;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A no-argument bean method run as an actor: {@code execute} calls the method on the bean, {@code
 * interrupt} interrupts the thread running it. An {@link InterruptedException} thrown once the
 * group is stopping is a normal return. One instance serves one run of the group.
 */
final class MethodActor implements Interruptible {

  private final Object bean;
  private final Method method;
  private final BooleanSupplier groupStopping;

  private final Object lock = new Object();
  // Guarded by lock.
  private @Nullable Thread runner;
  private boolean interrupted;

  /**
   * @param bean the bean (the proxy, if any) to call the method on
   * @param method the method, accessible and invocable on {@code bean}
   * @param groupStopping whether the group has begun to stop
   */
  MethodActor(Object bean, Method method, BooleanSupplier groupStopping) {
    this.bean = bean;
    this.method = method;
    this.groupStopping = groupStopping;
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
      if (failure instanceof InterruptedException && stopping()) {
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
      if (thread != null) {
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
