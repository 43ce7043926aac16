package dev.rungroup.samples.cluster;

import dev.rungroup.spring.autoconfigure.RunGroupProperties;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;

/**
 * The lock registry that elects the leader actors: Spring Integration's {@link JdbcLockRegistry} on
 * its {@code INT_LOCK} table in the shared database, with the leadership's time-to-live ({@code
 * run-group.leadership.time-to-live}) as the locks' time-to-live. The repository runs its
 * statements in transactions of the application's {@code PlatformTransactionManager}.
 */
@Configuration(proxyBeanMethods = false)
class LockConfiguration {

  @Bean
  DefaultLockRepository lockRepository(DataSource dataSource) {
    return new DefaultLockRepository(dataSource);
  }

  @Bean
  JdbcLockRegistry lockRegistry(LockRepository repository, RunGroupProperties properties) {
    return new JdbcLockRegistry(repository, properties.getLeadership().getTimeToLive());
  }
}
