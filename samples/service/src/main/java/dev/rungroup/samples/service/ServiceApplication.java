package dev.rungroup.samples.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Prometheus's start-up and shutdown as a graph of {@code @Actor} methods, declared with {@code
 * after} instead of hand-made latches:
 *
 * <pre>
 * migrations (one-shot) → storage (signals once open) → config (signals once loaded) → web
 *                                                                                   → scrape
 *                                                                                   → rules
 *                         storage → upstream (restarted on failure)
 * </pre>
 *
 * <p>Each actor begins once those it is {@code after} are ready; at the stop the group interrupts
 * an actor only once those after it have returned, so the storage closes last. Spring's web server
 * serves the API ({@link ServiceController}) and {@code /actuator}: it starts after the group's
 * actors and stops, draining its requests ({@code server.shutdown=graceful}), before them. Until
 * the group is ready {@code /actuator/health/readiness} is {@code OUT_OF_SERVICE}.
 *
 * <p>SIGTERM or Ctrl-C close the context, which stops the group (the JVM then exits with 143 after
 * SIGTERM, 130 after Ctrl-C). An actor that fails, other than a restart within the upstream's
 * budget, stops the group and the process exits with 1, or {@value StorageFault#EXIT_CODE} for a
 * {@link StorageFault}.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceProperties.class)
public class ServiceApplication {

  /**
   * Starts the service; it runs until a signal, or until an actor fails.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=0}
   */
  public static void main(String[] args) {
    SpringApplication.run(ServiceApplication.class, args);
  }
}
