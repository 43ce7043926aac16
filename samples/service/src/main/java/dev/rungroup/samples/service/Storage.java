package dev.rungroup.samples.service;

import dev.rungroup.ActorContext;
import dev.rungroup.Readiness;
import dev.rungroup.spring.Actor;
import jakarta.annotation.PreDestroy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The storage (Prometheus's time-series database): a file of items, one a line, in the data
 * directory, and the {@code storage} actor that opens it, keeps it open while the group runs, and
 * closes it when interrupted.
 *
 * <p>The actor is declared {@code after = "migrations"} (it opens a directory the migrations made)
 * and {@link Readiness#SIGNALLED SIGNALLED}: opening takes {@code service.storage.open-time}, and
 * the actors after it ({@code config}, then {@code web}, {@code scrape}, {@code rules}, and {@code
 * upstream}) begin only once it has said it is open. At the stop the group interrupts it only once
 * all of them have returned, so none sees the storage closed under it. A write or a read while the
 * storage is not open throws {@code IllegalStateException("storage is not open")}: what a wrong
 * order would show.
 *
 * <p>The fault switch ({@link #fault(String)}, {@code POST /fault/storage}) makes the actor fail
 * with a {@link StorageFault}: the whole group stops and the process exits with {@value
 * StorageFault#EXIT_CODE}. The fault leaves the storage open: the actors after it are still running
 * when it stops the group, and write until they have returned; the context's close closes it.
 *
 * <p>Thread-safety: {@link #write(String)}, {@link #count()} and the open and close hold the
 * store's lock, so a write that returned happened before the close, and a write after the close
 * throws.
 */
@Component
final class Storage {

  /** The schema version the storage opens; the migrations bring the directory to it. */
  static final int SCHEMA_VERSION = 3;

  /** The file of the schema version in the data directory. */
  static final String SCHEMA_FILE = "schema-version";

  /** The file of the items in the data directory. */
  static final String ITEMS_FILE = "items.log";

  private static final Log logger = LogFactory.getLog(Storage.class);

  private final Path directory;
  private final Duration openTime;
  private final BlockingQueue<String> faults = new LinkedBlockingQueue<>();
  private final Object lock = new Object();
  private @Nullable BufferedWriter items; // guarded by lock; not null while open
  private long count; // guarded by lock

  Storage(ServiceProperties properties) {
    this.directory = properties.dataDir();
    this.openTime = properties.storage().openTime();
  }

  /**
   * The actor: opens the storage, signals ready, then keeps it open until the group's interrupt
   * ({@link Thread#interrupt()} of this thread) or a fault; closes it on the way out.
   *
   * @param context the actor's context, to signal that the storage is open
   * @throws InterruptedException when the group stops (a normal return for a method actor)
   * @throws IOException if the storage cannot be opened
   */
  @Actor(name = "storage", after = "migrations", readiness = Readiness.SIGNALLED)
  void run(ActorContext context) throws InterruptedException, IOException {
    logger.info("storage: opening " + directory + " (takes " + openTime.toMillis() + " ms)");
    // Stands in for the replay of a write-ahead log; the group's interrupt ends it.
    Thread.sleep(openTime.toMillis());
    Opened opened = open();
    String fault;
    try {
      logger.info("storage: opened, " + opened.items() + " items");
      context.ready(); // the actors after "storage" may begin
      fault = faults.take(); // until the group's interrupt, or the fault switch
    } catch (Throwable e) {
      // The group's interrupt: every actor after "storage" has returned, the storage closes. A
      // failing close is added to the actor's own error, never hides it.
      try {
        opened.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    // The fault stops the group, and the actors after "storage" are still running: the storage
    // stays open for them until they have returned, and closes with the context (close()). Closed
    // here, before this actor's failure stops the group, it would fail a dependent's write in
    // between, and that failure could be the group's first (exit code 1 instead of 3).
    logger.info("storage: failing (" + fault + "); open until the actors after it have stopped");
    throw new StorageFault("storage failed: " + fault);
  }

  /** The storage, open: closing it closes the storage. */
  private interface Opened extends AutoCloseable {
    /** How many items the storage held when it opened. */
    long items();

    @Override
    void close() throws IOException;
  }

  /**
   * Writes one item.
   *
   * @param item the item, one line
   * @throws IllegalStateException if the storage is not open
   */
  void write(String item) {
    synchronized (lock) {
      BufferedWriter writer = requireOpen();
      try {
        writer.write(item);
        writer.newLine();
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("storage: cannot write " + item, e);
      }
      count++;
    }
  }

  /**
   * How many items the storage holds.
   *
   * @return the count, also of the items of earlier runs
   * @throws IllegalStateException if the storage is not open
   */
  long count() {
    synchronized (lock) {
      requireOpen();
      return count;
    }
  }

  /**
   * Makes the storage actor fail: the fault switch.
   *
   * @param reason what asked for it, for the failure's message
   */
  void fault(String reason) {
    faults.add(reason);
  }

  /**
   * The schema version of a data directory.
   *
   * @param directory the data directory
   * @return the version, 0 if the directory has none yet
   * @throws IOException if the version cannot be read
   */
  static int schemaVersion(Path directory) throws IOException {
    Path file = directory.resolve(SCHEMA_FILE);
    if (!Files.exists(file)) {
      return 0;
    }
    return Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
  }

  private BufferedWriter requireOpen() {
    BufferedWriter writer = items;
    if (writer == null) {
      throw new IllegalStateException("storage is not open");
    }
    return writer;
  }

  private Opened open() throws IOException {
    int version = schemaVersion(directory);
    if (version != SCHEMA_VERSION) {
      throw new IllegalStateException(
          "storage: "
              + directory
              + " is at schema version "
              + version
              + ", not "
              + SCHEMA_VERSION
              + ": the migrations have not run");
    }
    Path file = directory.resolve(ITEMS_FILE);
    long existing;
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      existing = lines.count();
    }
    synchronized (lock) {
      items =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      count = existing;
    }
    return new Opened() {
      @Override
      public long items() {
        return existing;
      }

      @Override
      public void close() throws IOException {
        Storage.this.close();
      }
    };
  }

  /**
   * Closes the storage if it is open: the actor's way out at the group's interrupt, and the
   * context's close (the bean's destroy method) after a fault.
   *
   * @throws IOException if the file cannot be closed
   */
  @PreDestroy
  void close() throws IOException {
    BufferedWriter writer;
    long closedCount;
    synchronized (lock) {
      writer = items;
      items = null;
      closedCount = count;
      if (writer != null) {
        writer.close(); // under the lock: no write can be half done
      }
    }
    if (writer != null) {
      logger.info("storage: closed, " + closedCount + " items");
    }
  }
}
