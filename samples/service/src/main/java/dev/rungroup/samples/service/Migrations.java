package dev.rungroup.samples.service;

import dev.rungroup.spring.Actor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code migrations} actor: brings the storage's directory to {@link Storage#SCHEMA_VERSION},
 * applying the migrations it has not had yet, then returns. It is one-shot: its normal return ends
 * only this actor, which then counts as ready, so the {@code storage} actor, declared after it,
 * begins; the group runs on. A failing migration stops the group (exit code 1).
 *
 * <p>Thread-safety: the actor's method runs on the actor's thread only.
 */
@Component
final class Migrations {

  private static final Log logger = LogFactory.getLog(Migrations.class);

  /** One migration: the schema version it brings the directory to, and what it does. */
  private record Migration(int version, String description, Step step) {}

  @FunctionalInterface
  private interface Step {
    void apply(Path directory) throws IOException;
  }

  private static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(1, "create the data directory", Files::createDirectories),
          new Migration(
              2,
              "create the items file",
              directory -> {
                Path items = directory.resolve(Storage.ITEMS_FILE);
                if (!Files.exists(items)) {
                  Files.createFile(items);
                }
              }),
          new Migration(
              3,
              "describe the items file's format",
              directory ->
                  Files.writeString(
                      directory.resolve("FORMAT"), Storage.ITEMS_FILE + ": one item a line\n")));

  private final Path directory;

  Migrations(ServiceProperties properties) {
    this.directory = properties.dataDir();
  }

  /**
   * The actor: applies each migration above the directory's schema version, recording the version
   * after each one.
   *
   * @throws IOException if a migration cannot be applied
   */
  @Actor(name = "migrations", oneShot = true)
  void apply() throws IOException {
    int version = Storage.schemaVersion(directory);
    int applied = 0;
    for (Migration migration : MIGRATIONS) {
      if (migration.version() > version) {
        migration.step().apply(directory);
        Files.writeString(directory.resolve(Storage.SCHEMA_FILE), migration.version() + "\n");
        logger.info(
            "migrations: applied " + migration.version() + " (" + migration.description() + ")");
        applied++;
      }
    }
    logger.info(
        "migrations: done, schema version "
            + Storage.SCHEMA_VERSION
            + " ("
            + applied
            + " applied) in "
            + directory);
  }
}
