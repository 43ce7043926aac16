package dev.rungroup.bench;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/** The kind of thread every contender of one measurement runs its actors on. */
enum ThreadKind {
  /** Daemon platform threads, one per actor. */
  PLATFORM,
  /** Virtual threads ({@code Thread.ofVirtual().factory()}), Java 21 and later. */
  VIRTUAL;

  private static final @Nullable ThreadFactory VIRTUAL_FACTORY = lookUpVirtualFactory();

  /** The factory for this kind: a fresh daemon platform thread, or a virtual thread. */
  ThreadFactory factory() {
    if (this == PLATFORM) {
      return ThreadKind::newPlatformThread;
    }
    ThreadFactory factory = VIRTUAL_FACTORY;
    if (factory == null) {
      throw new IllegalStateException("virtual threads need Java 21 or later");
    }
    return factory;
  }

  /** Whether this JVM can make threads of this kind. */
  boolean available() {
    return this == PLATFORM || VIRTUAL_FACTORY != null;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ThreadKind parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  private static Thread newPlatformThread(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    return thread;
  }

  /** {@code Thread.ofVirtual().factory()} by reflection, so that this module compiles for 17. */
  private static @Nullable ThreadFactory lookUpVirtualFactory() {
    try {
      Method ofVirtual = Thread.class.getMethod("ofVirtual");
      Object builder = ofVirtual.invoke(null);
      Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
      return (ThreadFactory) factory.invoke(builder);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
