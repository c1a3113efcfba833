package io.wharf.core.schedule;

import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Quartz on Wharf's own database, clustered: the tables come from Flyway ({@code V7_1__quartz.sql}),
 * every node is an instance of one scheduler, and a node that stops checking in has
 * its recoverable jobs taken over by the others.
 *
 * <p>The job store is Quartz's {@code JobStoreTX} on a connection provider over Wharf's pool: Quartz
 * runs and commits its own short transactions, apart from any JPA transaction of the caller, so a job
 * is stored (and visible to every node) by the time {@code scheduleJob} returns. (Spring's
 * {@code LocalDataSourceJobStore} instead joins the caller's transaction, which breaks when Quartz is
 * called after that transaction has completed, as event listeners do.) Configured here rather than in
 * each application's properties, so every context that includes replication gets the same scheduler.
 */
@Configuration(proxyBeanMethods = false)
class QuartzConfiguration {

    @Bean
    SchedulerFactoryBeanCustomizer wharfQuartz(DataSource dataSource) {
        return factory -> {
            // one name per data source: Quartz keeps connection providers in a JVM-wide registry
            String provider = "wharf-" + Integer.toHexString(System.identityHashCode(dataSource));
            DBConnectionManager.getInstance().addConnectionProvider(provider, new PoolConnections(dataSource));
            Properties quartz = new Properties();
            quartz.setProperty("org.quartz.scheduler.instanceName", "wharf");
            quartz.setProperty("org.quartz.scheduler.instanceId", "AUTO");
            quartz.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
            quartz.setProperty("org.quartz.jobStore.dataSource", provider);
            quartz.setProperty("org.quartz.jobStore.isClustered", "true");
            quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
            quartz.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
            // job data is BYTEA in both databases (H2 runs in PostgreSQL mode), read as bytes by this delegate
            quartz.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            quartz.setProperty("org.quartz.threadPool.threadCount", "4");
            // a job another node scheduled is seen within this time (this node's own at once)
            quartz.setProperty("org.quartz.scheduler.idleWaitTime", "5000");
            factory.setQuartzProperties(quartz);
            factory.setOverwriteExistingJobs(true);
            factory.setWaitForJobsToCompleteOnShutdown(false);
        };
    }

    /** Connections from Wharf's pool; Quartz sets auto-commit off, commits and closes them itself. */
    private record PoolConnections(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the application
        }

        @Override
        public void initialize() {
            // nothing to prepare
        }
    }
}
