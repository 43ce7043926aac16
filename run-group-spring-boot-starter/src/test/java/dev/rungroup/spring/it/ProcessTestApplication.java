package dev.rungroup.spring.it;

import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A small application with actors, started by {@link ProcessIT} as a real process: {@code
 * main(mode, springArgs...)}. Actors print marker lines ({@code STARTED x}, {@code INTERRUPTED x})
 * that the test waits for. The configuration of each mode is a sibling of {@link App}, not nested
 * in it, so that only the chosen one is registered.
 */
public final class ProcessTestApplication {

  private ProcessTestApplication() {}

  /** The application's own configuration: auto-configuration only. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  public static void main(String[] args) {
    if (args[0].equals("child")) {
      // A parent with an actor that runs until interrupted, a child with one that returns.
      new SpringApplicationBuilder(App.class, ParentActors.class)
          .web(WebApplicationType.NONE)
          .child(App.class, ChildReturning.class)
          .web(WebApplicationType.NONE)
          .run(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Class<?> mode =
        switch (args[0]) {
          case "return" -> Returning.class;
          case "fail" -> Failing.class;
          case "exit42" -> Exiting42.class;
          case "block" -> Blocking.class;
          case "stubborn" -> Stubborn.class;
          case "misuse" -> Misuse.class;
          default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
    SpringApplication.run(
        new Class<?>[] {App.class, mode}, Arrays.copyOfRange(args, 1, args.length));
  }

  static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** Runs until interrupted; prints when it starts and when it is interrupted. */
  static final class PrintingActor implements Interruptible {
    private final String name;
    private final CountDownLatch interrupted = new CountDownLatch(1);

    PrintingActor(String name) {
      this.name = name;
    }

    @Override
    public void execute() throws InterruptedException {
      print("STARTED " + name);
      interrupted.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      print("INTERRUPTED " + name);
      interrupted.countDown();
    }
  }

  /** Thrown by the failing actor of mode {@code exit42}. */
  static final class Exit42Exception extends RuntimeException implements ExitCodeGenerator {
    private static final long serialVersionUID = 1L;

    Exit42Exception() {
      super("exit with 42");
    }

    @Override
    public int getExitCode() {
      return 42;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Blocking {
    @Bean
    @Actor
    PrintingActor first() {
      return new PrintingActor("first");
    }

    @Bean
    @Actor
    PrintingActor second() {
      return new PrintingActor("second");
    }
  }

  /** A worker and an actor that returns normally once started. */
  @Configuration(proxyBeanMethods = false)
  static class Returning {
    @Bean
    @Actor
    PrintingActor worker() {
      return new PrintingActor("worker");
    }

    @Bean
    Quick quick() {
      return new Quick();
    }
  }

  static class Quick {
    @Actor
    void run() {
      print("RETURNING quick");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Failing {
    @Bean
    @Actor
    PrintingActor worker() {
      return new PrintingActor("worker");
    }

    @Bean
    @Actor
    Interruptible failing() {
      return Interruptible.of(
          () -> {
            throw new IllegalStateException("the failing actor failed");
          },
          cause -> {});
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Exiting42 {
    @Bean
    @Actor
    Interruptible failing() {
      return Interruptible.of(
          () -> {
            throw new Exit42Exception();
          },
          cause -> {});
    }
  }

  /** The parent context of mode {@code child}: an actor that runs until interrupted. */
  @Configuration(proxyBeanMethods = false)
  static class ParentActors {
    @Bean
    @Actor
    PrintingActor parentworker() {
      return new PrintingActor("parentworker");
    }
  }

  /** The child context of mode {@code child}: an actor that returns once started. */
  @Configuration(proxyBeanMethods = false)
  static class ChildReturning {
    @Bean
    @Actor
    Interruptible childquick() {
      return Interruptible.of(() -> print("RETURNING childquick"), cause -> {});
    }
  }

  /** {@code @Actor} on a method with a parameter: the start fails. */
  @Configuration(proxyBeanMethods = false)
  static class Misuse {
    @Bean
    WithParameter withParameter() {
      return new WithParameter();
    }
  }

  static class WithParameter {
    @Actor
    void work(String what) {
      print("never " + what);
    }
  }

  /** An actor that ignores its interrupt (and Thread.interrupt()), next to a polite one. */
  @Configuration(proxyBeanMethods = false)
  static class Stubborn {
    @Bean
    @Actor
    PrintingActor polite() {
      return new PrintingActor("polite");
    }

    @Bean
    StubbornWorker stubborn() {
      return new StubbornWorker();
    }
  }

  static class StubbornWorker {
    @Actor
    void work() {
      print("STARTED stubborn");
      CountDownLatch never = new CountDownLatch(1);
      while (true) {
        try {
          never.await();
        } catch (InterruptedException e) {
          print("IGNORED an interrupt");
        }
      }
    }
  }
}
