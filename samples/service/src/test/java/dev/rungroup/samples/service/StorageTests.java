package dev.rungroup.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.rungroup.ActorContext;
import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The storage actor in a core group, with an actor after it that writes as the scrape does. */
class StorageTests {

  private static final Duration WAIT = Duration.ofMinutes(1);

  /**
   * Regression: the fault closed the storage before its failure stopped the group, so a dependent
   * that wrote in between (the scrape's item in flight) failed with "storage is not open", and that
   * failure could be the group's first: the service then exited with 1 instead of 3.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aStorageFaultLeavesTheStorageOpenUntilTheActorsAfterItReturned(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve(Storage.SCHEMA_FILE), Integer.toString(Storage.SCHEMA_VERSION));
    Files.writeString(dir.resolve(Storage.ITEMS_FILE), "");
    Storage storage =
        new Storage(
            new ServiceProperties(
                dir,
                "unused",
                new ServiceProperties.StorageSettings(Duration.ZERO),
                new ServiceProperties.ScrapeSettings(Duration.ZERO),
                new ServiceProperties.UpstreamSettings(Duration.ofSeconds(1)),
                null));

    AtomicReference<Thread> storageThread = new AtomicReference<>();
    CountDownLatch halted = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "storage",
        Interruptible.of(
            () -> {
              storageThread.set(Thread.currentThread());
              storage.run(ActorContext.current());
            },
            cause -> {
              Thread thread = storageThread.get();
              if (thread != null) {
                thread.interrupt();
              }
            }),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    group.add(
        "writer",
        Interruptible.of(
            () -> {
              storage.write("first");
              halted.await(); // the group's interrupt
              storage.write("in flight"); // the item in flight is written after the interrupt
            },
            cause -> halted.countDown()),
        ActorOptions.defaults().after("storage"));

    CompletableFuture<Exit> run = CompletableFuture.supplyAsync(group::run);
    assertThat(group.awaitReady(WAIT)).isTrue();
    storage.fault("the test");
    Exit exit = run.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(exit.firstActor()).contains("storage");
    assertThat(exit.error())
        .isInstanceOf(StorageFault.class)
        .hasMessage("storage failed: the test");
    assertThat(exit.actors().get(1).error()).as("the writer's outcome").isNull();
    assertThat(storage.count()).as("open until the context closes it").isEqualTo(2);

    storage.close(); // the context's close: the bean's destroy method
    assertThatIllegalStateException().isThrownBy(storage::count).withMessage("storage is not open");
    assertThat(Files.readAllLines(dir.resolve(Storage.ITEMS_FILE), StandardCharsets.UTF_8))
        .containsExactly("first", "in flight");
  }
}
