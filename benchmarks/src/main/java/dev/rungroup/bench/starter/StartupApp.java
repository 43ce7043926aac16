package dev.rungroup.bench.starter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * A Spring Boot application with {@code bench.actors} {@link LatchActor} beans and {@code
 * bench.beans} ordinary ones, started once per JVM by {@link dev.rungroup.bench.StarterStartup}:
 * non-web with {@code spring-boot-starter} only on the classpath, a servlet web application with
 * Actuator when the harness adds {@code spring-boot-starter-webmvc} and {@code
 * spring-boot-starter-actuator} to it.
 *
 * <p>Arguments: {@code --bench.actors=N --bench.starter=true|false}, optionally {@code
 * --bench.beans=M} (default 0) and {@code --bench.steps=true} (record the CPU time of Spring's
 * start-up steps with a {@link CpuTimeStartup} and print a {@code STEPS} line, see {@link
 * StartupSteps}), then any Spring Boot argument (the harness adds {@code
 * --spring.threads.virtual.enabled=true} for virtual threads, {@code --server.port=0} for the web
 * application). {@code bench.starter} states whether the starter is expected on the classpath; a
 * mismatch fails.
 *
 * <p>Clocks, all {@link System#nanoTime()} in this JVM:
 *
 * <ul>
 *   <li>{@code run}: from entering {@code main} to {@code SpringApplication.run} returning;
 *   <li>{@code ready}: from entering {@code main} to {@code SpringApplication.run} returned
 *       <em>and</em>, with the starter, every actor has entered {@code execute} (the starter starts
 *       the group on a thread of its own, so {@code run} may return first);
 *   <li>{@code cpu}: the CPU time of the whole process (all threads, user and system) from its
 *       start until ready, read once {@code READY} is printed (Linux; 10 ms resolution);
 *   <li>{@code mainCpu}: the CPU time of the main thread (which starts the context) from its start
 *       until ready, read just after {@code cpu} (Linux; nanoseconds);
 *   <li>{@code close}: {@code context.close()}; with the starter it interrupts every actor and
 *       waits for it to return, which is checked afterwards (every actor returned).
 * </ul>
 *
 * <p>Prints {@code READY} (the parent takes its own clock from the process start to that line) once
 * ready, then one line {@code RESULT key=value ...} (the clocks, the counts of actors, {@code
 * beans}: the context's bean definitions, {@code web}: whether a web server listens), with {@code
 * bench.steps} then one line {@code STEPS key=value ...}; exits with 2 if a check fails.
 */
@SpringBootApplication
public class StartupApp {

  /** How long to wait for the actors to start before giving up. */
  private static final long START_TIMEOUT_MINUTES = 5;

  /** A configuration class, instantiated by Spring. */
  public StartupApp() {}

  /**
   * Registers the actor beans and the ordinary ones.
   *
   * @param environment the number of actors is its {@code bench.actors}, of ordinary beans its
   *     {@code bench.beans}
   * @return the registrar of {@code bench.actors} {@link LatchActor} beans and {@code bench.beans}
   *     ordinary ones
   */
  @Bean
  static ActorRegistrar actorRegistrar(Environment environment) {
    return new ActorRegistrar(
        environment.getRequiredProperty("bench.actors", Integer.class),
        environment.getProperty("bench.beans", Integer.class, 0));
  }

  /**
   * Starts the application once, measures and prints the result.
   *
   * @param args {@code --bench.actors=N --bench.starter=true|false} and Spring Boot arguments
   * @throws InterruptedException if interrupted while waiting for the actors
   */
  public static void main(String[] args) throws InterruptedException {
    long began = System.nanoTime();
    int n = Integer.parseInt(argument(args, "bench.actors"));
    boolean starter = Boolean.parseBoolean(argument(args, "bench.starter"));
    LatchActor.expect(starter ? n : 0);

    boolean steps = Boolean.parseBoolean(optionalArgument(args, "bench.steps", "false"));
    SpringApplication application = new SpringApplication(StartupApp.class);
    CpuTimeStartup startup = null;
    if (steps) {
      startup = new CpuTimeStartup();
      application.setApplicationStartup(startup);
    }
    ConfigurableApplicationContext context = application.run(args);
    long runReturned = System.nanoTime();
    if (!LatchActor.awaitAllStarted(START_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      fail("only " + LatchActor.started() + " of " + n + " actors started", context);
    }
    long ready = System.nanoTime();
    System.out.println("READY");
    System.out.flush();
    long cpuAtReady = processCpuNanos();
    long mainCpuAtReady = mainThreadCpuNanos();

    // Checks, outside the clocks.
    boolean present = ClassUtils.isPresent("dev.rungroup.spring.ActorGroup", null);
    if (present != starter) {
      fail("the starter is " + (present ? "" : "not ") + "on the classpath", context);
    }
    int beans = context.getBeanNamesForType(LatchActor.class).length;
    if (beans != n) {
      fail(beans + " actor beans, expected " + n, context);
    }
    int startedBeforeClose = LatchActor.started();
    int beanDefinitions = context.getBeanDefinitionCount();
    // set once a web server listens (no web server classes on the non-web app's classpath)
    boolean web = context.getEnvironment().containsProperty("local.server.port");
    String stepsLine =
        startup == null ? null : StartupSteps.line(StartupSteps.summary(startup, context));

    long closeBegan = System.nanoTime();
    context.close();
    long closed = System.nanoTime();

    int returned = LatchActor.returned();
    if (returned != startedBeforeClose || startedBeforeClose != (starter ? n : 0)) {
      fail(startedBeforeClose + " actors started and " + returned + " returned by the close", null);
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT run=%d ready=%d cpu=%d mainCpu=%d close=%d started=%d returned=%d virtual=%d"
            + " beans=%d web=%b java=%s%n",
        runReturned - began,
        ready - began,
        cpuAtReady,
        mainCpuAtReady,
        closed - closeBegan,
        startedBeforeClose,
        returned,
        LatchActor.onVirtualThreads(),
        beanDefinitions,
        web,
        System.getProperty("java.runtime.version"));
    if (stepsLine != null) {
      System.out.println("STEPS " + stepsLine);
    }
    System.out.flush();
  }

  /**
   * The CPU time this process has used so far, all threads, user and system, from {@code
   * /proc/self/stat} (in ticks of 10 ms, Linux's {@code USER_HZ}); -1 elsewhere.
   */
  private static long processCpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      // after "(comm)": state is field 3, utime field 14, stime field 15
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * TimeUnit.MILLISECONDS.toNanos(10);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The CPU time the main thread has used so far, from {@code /proc/thread-self/schedstat} (Linux;
   * nanoseconds); -1 elsewhere. Unlike the process's CPU time it leaves out the JIT compilers, the
   * GC and other threads, and unlike the wall clocks it does not count the time the thread waited
   * for a CPU while other work ran on the machine.
   */
  private static long mainThreadCpuNanos() {
    try {
      String schedstat =
          Files.readString(Path.of("/proc/thread-self/schedstat"), StandardCharsets.US_ASCII);
      return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String optionalArgument(String[] args, String name, String otherwise) {
    String prefix = "--" + name + "=";
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return arg.substring(prefix.length());
      }
    }
    return otherwise;
  }

  private static String argument(String[] args, String name) {
    String prefix = "--" + name + "=";
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return arg.substring(prefix.length());
      }
    }
    throw new IllegalArgumentException("missing argument " + prefix + "...");
  }

  private static void fail(String message, @Nullable ConfigurableApplicationContext context) {
    System.out.println("FAILED " + message);
    System.out.flush();
    if (context != null) {
      context.close();
    }
    System.exit(2);
  }
}
