package dev.rungroup.samples.seed;

import dev.rungroup.spring.Actor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * The example of the article on oklog/run, as a Spring Boot application with three actors:
 *
 * <ol>
 *   <li>{@code routine-1} and {@code routine-2}, {@link ClosesInOrder} beans made by the
 *       {@code @Bean} methods below, wait until they are interrupted, then print that they are
 *       closed;
 *   <li>{@code routine-3}, the {@code @Actor} method {@link Routine3#sleepThreeTimes()}, prints "Go
 *       routine 3 is sleeping..." once a second, three times, then "Go routine 3 is closed", and
 *       returns.
 * </ol>
 *
 * <p>Its return stops the group: the starter interrupts every actor, in their {@code @Order}, one
 * after another; once all have returned it closes the context and the JVM exits with 0, since the
 * first actor returned normally. Nothing else keeps the process alive: no web server, no call to
 * {@code System.exit} here.
 *
 * <p><b>Why "1 closed" always comes before "2 closed".</b> In the Go original the two lines race:
 * its interrupts only close channels, and each goroutine prints whenever it is scheduled. Here the
 * interrupts are called in actor order ({@code @Order(1)}, then {@code @Order(2)}, then
 * {@code @Order(3)}), each after the previous one returned, and a {@link ClosesInOrder} interrupt
 * returns only once its actor has printed and returned: an <em>ordered shutdown</em>.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SeedExampleApplication {

  /**
   * Starts the application; the JVM exits by itself once the group of actors has stopped.
   *
   * @param args Spring Boot arguments, such as {@code --seed.tick=100ms}
   */
  public static void main(String[] args) {
    SpringApplication.run(SeedExampleApplication.class, args);
  }

  /** Actor 1: waits until interrupted, then prints "Go routine 1 is closed". */
  @Bean
  @Order(1)
  @Actor(name = "routine-1")
  ClosesInOrder routine1() {
    return new ClosesInOrder("Go routine 1 is closed", System.out);
  }

  /** Actor 2: waits until interrupted, then prints "Go routine 2 is closed". */
  @Bean
  @Order(2)
  @Actor(name = "routine-2")
  ClosesInOrder routine2() {
    return new ClosesInOrder("Go routine 2 is closed", System.out);
  }
}
