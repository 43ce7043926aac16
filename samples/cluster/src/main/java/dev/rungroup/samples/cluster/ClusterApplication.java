package dev.rungroup.samples.cluster;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * One replica of a service that several run side by side on one PostgreSQL database:
 *
 * <ul>
 *   <li>{@code billing} ({@link Billing}), {@code @Actor(leader = "billing")}: runs on one replica
 *       at a time, the one holding the leadership, elected through Spring Integration's {@code
 *       JdbcLockRegistry} ({@link LockConfiguration}); it writes a heartbeat row every {@code
 *       cluster.heartbeat-interval}, stamped by the database's clock, so that the table shows which
 *       replica ran it when;
 *   <li>{@code ticker} ({@link Ticker}): an ordinary actor on every replica, which keeps ticking
 *       whoever leads and also while the database is down.
 * </ul>
 *
 * <p>Spring's web server serves {@code /ticker} and the actuator ({@code /actuator/health}, {@code
 * /actuator/actors}). SIGTERM stops the replica: billing stops first, then the lock is released, so
 * a standby replica takes over at once.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterApplication {

  /**
   * Starts a replica; it runs until a signal.
   *
   * @param args Spring Boot arguments, such as {@code --cluster.replica=a --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(ClusterApplication.class, args);
  }
}
