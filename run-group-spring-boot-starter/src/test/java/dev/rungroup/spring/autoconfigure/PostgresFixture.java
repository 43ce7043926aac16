package dev.rungroup.spring.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * A private PostgreSQL cluster for the tests that need a real database: {@code initdb} into a
 * temporary directory (as user {@code postgres} when the tests run as root), {@code pg_ctl start}
 * on a free loopback port with its socket in that directory, and the schema of Spring Integration's
 * own {@code schema-postgresql.sql}. Stopped and deleted after the class's tests, also when one
 * fails, and by a shutdown hook if the JVM ends first. Where PostgreSQL is not installed the tests
 * fail, naming the Debian package.
 *
 * <p>Register it with {@code @RegisterExtension static final PostgresFixture postgres = new
 * PostgresFixture();}. The starter's test-jar publishes it, so that the integration tests of other
 * modules (samples/cluster) start their database the same way.
 */
public final class PostgresFixture implements BeforeAllCallback, AfterAllCallback {

  private static final Path POSTGRES_LIB = Path.of("/usr/lib/postgresql");
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private @Nullable Path bin;
  private @Nullable Path dir;
  private int port;
  private boolean asPostgresUser;
  private volatile boolean serverRunning;
  private @Nullable Thread shutdownHook;

  /** A fixture not yet started: {@link #beforeAll} or {@link #start()} starts it. */
  public PostgresFixture() {}

  /** Starts the cluster before the class's tests. */
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  /** Stops and deletes the cluster after the class's tests. */
  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * Creates and starts the cluster and its schema.
   *
   * @throws IOException if a command cannot be run
   * @throws InterruptedException if interrupted while a command runs
   * @throws SQLException if the schema cannot be created
   */
  public void start() throws IOException, InterruptedException, SQLException {
    bin = findBin();
    asPostgresUser = "root".equals(System.getProperty("user.name"));
    Path created = Files.createTempDirectory("run-group-pg-");
    dir = created;
    if (asPostgresUser) {
      run(List.of("chown", "postgres", created.toString()));
    }
    Thread hook = new Thread(this::close, "run-group-pg-stop");
    shutdownHook = hook;
    Runtime.getRuntime().addShutdownHook(hook);
    run(
        postgres(
            "initdb",
            "-D",
            data().toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8"));
    port = freePort();
    startServer();
    try (Connection connection = dataSource().getConnection()) {
      ScriptUtils.executeSqlScript(
          connection,
          new ClassPathResource("org/springframework/integration/jdbc/schema-postgresql.sql"));
    }
  }

  /**
   * Starts the server again after {@link #stopImmediately()}, on the same port and data directory.
   *
   * @throws IOException if {@code pg_ctl} cannot be run
   * @throws InterruptedException if interrupted while it runs
   */
  public void startServer() throws IOException, InterruptedException {
    run(
        postgres(
            "pg_ctl",
            "-D",
            data().toString(),
            "-l",
            dir().resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -k "
                + dir()
                + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
            "start"));
    serverRunning = true;
  }

  /**
   * Starts the server if a test stopped it.
   *
   * @throws IOException if {@code pg_ctl} cannot be run
   * @throws InterruptedException if interrupted while it runs
   */
  public void startServerIfStopped() throws IOException, InterruptedException {
    if (!serverRunning) {
      startServer();
    }
  }

  /**
   * {@code pg_ctl stop -m immediate}: the server dies without a checkpoint, as in a crash; the data
   * directory and the port stay, for {@link #startServer()}.
   *
   * @throws IOException if {@code pg_ctl} cannot be run
   * @throws InterruptedException if interrupted while it runs
   */
  public void stopImmediately() throws IOException, InterruptedException {
    serverRunning = false;
    run(postgres("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop"));
  }

  /**
   * The JDBC URL, with short connect and socket timeouts so that an outage fails fast.
   *
   * @return {@code jdbc:postgresql://127.0.0.1:<port>/postgres?...}; user {@code postgres}, no
   *     password
   */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/postgres?connectTimeout=2&socketTimeout=5&tcpKeepAlive=true";
  }

  /**
   * The server's loopback TCP port, the same after {@link #startServer()}.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * A data source without a pool: every call opens a connection, so an outage shows at once.
   *
   * @return a data source on {@link #url()}
   */
  public DataSource dataSource() {
    return new DriverManagerDataSource(url(), "postgres", "");
  }

  /**
   * A fresh registry (its own client id, as another replica's).
   *
   * @param ttl its time-to-live
   * @return a registry on the cluster's {@code INT_LOCK} table
   */
  public JdbcLockRegistry registry(Duration ttl) {
    DataSource dataSource = dataSource();
    DefaultLockRepository repository = new DefaultLockRepository(dataSource);
    repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
    repository.afterPropertiesSet();
    repository.afterSingletonsInstantiated();
    return new JdbcLockRegistry(repository, ttl);
  }

  /** Stops the server (if it runs) and deletes the directory. Idempotent. */
  public synchronized void close() {
    Path current = dir;
    if (current == null) {
      return;
    }
    dir = null;
    try {
      if (Files.exists(current.resolve("data").resolve("postmaster.pid"))) {
        runIn(
            current,
            postgresCommand(
                "pg_ctl",
                "-D",
                current.resolve("data").toString(),
                "-m",
                "immediate",
                "-w",
                "stop"));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("PostgreSQL test cluster: stop failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(current);
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Path dir() {
    Path current = dir;
    if (current == null) {
      throw new IllegalStateException("the PostgreSQL test cluster is not started");
    }
    return current;
  }

  private Path data() {
    return dir().resolve("data");
  }

  private static Path findBin() throws IOException {
    if (Files.isDirectory(POSTGRES_LIB)) {
      try (Stream<Path> versions = Files.list(POSTGRES_LIB)) {
        Path bin =
            versions
                .map(version -> version.resolve("bin"))
                .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                .max(Comparator.comparing(Path::toString))
                .orElse(null);
        if (bin != null) {
          return bin;
        }
      }
    }
    throw new IllegalStateException(
        "PostgreSQL is not installed (no "
            + POSTGRES_LIB
            + "/<version>/bin/initdb): these tests start a private PostgreSQL cluster. Install the"
            + " Debian package postgresql (apt-get install -y postgresql); no server needs to"
            + " run.");
  }

  private List<String> postgres(String tool, String... args) {
    dir();
    return postgresCommand(tool, args);
  }

  private List<String> postgresCommand(String tool, String... args) {
    Path binDir = bin;
    if (binDir == null) {
      throw new IllegalStateException("PostgreSQL not found");
    }
    List<String> command = new ArrayList<>();
    if (asPostgresUser) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(binDir.resolve(tool).toString());
    command.addAll(List.of(args));
    return command;
  }

  private void run(List<String> command) throws IOException, InterruptedException {
    runIn(dir(), command);
  }

  private static void runIn(Path where, List<String> command)
      throws IOException, InterruptedException {
    File output = where.resolve("command.log").toFile();
    Process process =
        new ProcessBuilder(command)
            .directory(where.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output))
            .start();
    if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    if (process.exitValue() != 0) {
      String log = Files.readString(output.toPath(), StandardCharsets.UTF_8);
      throw new IllegalStateException(
          "failed with exit code " + process.exitValue() + ": " + command + "\n" + log);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(PostgresFixture::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("PostgreSQL test cluster: could not delete " + root + ": " + e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left for the temporary directory's cleaner
    }
  }
}
