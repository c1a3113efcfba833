package io.wharf.replication.schedule;

import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.util.Properties;

/**
 * Quartz on Wharf's own database, clustered: the tables come from Flyway ({@code V7_1__quartz.sql}
 * per database), every node is an instance of one scheduler, and a node that stops checking in has
 * its recoverable jobs taken over by the others. Configured here rather than in each application's
 * properties, so every context that includes replication gets the same scheduler.
 */
@Configuration(proxyBeanMethods = false)
class QuartzConfiguration {

    @Bean
    SchedulerFactoryBeanCustomizer wharfQuartz(DataSource dataSource, PlatformTransactionManager transactions) {
        return factory -> {
            factory.setDataSource(dataSource);
            factory.setTransactionManager(transactions);
            factory.setOverwriteExistingJobs(true);
            factory.setWaitForJobsToCompleteOnShutdown(false);
            Properties quartz = new Properties();
            quartz.setProperty("org.quartz.scheduler.instanceName", "wharf");
            quartz.setProperty("org.quartz.scheduler.instanceId", "AUTO");
            quartz.setProperty("org.quartz.jobStore.isClustered", "true");
            quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
            quartz.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
            quartz.setProperty("org.quartz.jobStore.driverDelegateClass", delegate(dataSource));
            quartz.setProperty("org.quartz.threadPool.threadCount", "4");
            // Quartz is told of a new job before the transaction that stores it commits, so it may look,
            // find nothing yet, and sleep for its idle wait: keep that short, so a run starts within seconds
            quartz.setProperty("org.quartz.scheduler.idleWaitTime", "2000");
            factory.setQuartzProperties(quartz);
        };
    }

    /** PostgreSQL keeps job data in {@code bytea}, which needs its own delegate; H2 uses the standard one. */
    private static String delegate(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, m -> m.getDatabaseProductName());
            return product != null && product.toLowerCase().contains("postgres")
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database Quartz runs on", e);
        }
    }
}
