package dev.rungroup.samples.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The four components of the article's service, each an actor of one group (interrupt order in
 * brackets):
 *
 * <ol>
 *   <li>{@link HttpServerActor} [1]: the service's own HTTP server (the JDK's {@code HttpServer},
 *       not Spring's web server), closed by its interrupt;
 *   <li>{@link CronJobs} [2]: reads the state machine every few seconds, starting only once the
 *       state machine is ready;
 *   <li>{@link StateMachine} [3]: starts, becomes ready, then handles its commands until told to
 *       stop, or fails on a fault;
 *   <li>the signal handler: Spring's own shutdown hook. SIGTERM or Ctrl-C close the context, which
 *       stops the group gracefully (the JVM then exits with 143 after SIGTERM, 130 after Ctrl-C, as
 *       for any JVM ended by a signal).
 * </ol>
 *
 * <p>When an actor returns or fails, the group stops the others and the starter closes the context
 * and exits with Spring's exit code: the fault switch ({@code POST /fault} or {@code
 * service.fail-after}) makes the state machine fail with a {@link ServiceFault}, exit code 3.
 * Spring's web server, which serves {@code /actuator}, is not an actor: it starts before the group
 * and stops after it.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceProperties.class)
public class ServiceApplication {

  /**
   * Starts the service; it runs until a signal, or until an actor returns or fails.
   *
   * @param args Spring Boot arguments, such as {@code --service.http-port=0}
   */
  public static void main(String[] args) {
    SpringApplication.run(ServiceApplication.class, args);
  }
}
