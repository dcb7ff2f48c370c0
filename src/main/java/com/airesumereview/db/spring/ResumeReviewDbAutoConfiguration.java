package com.airesumereview.db.spring;

import com.airesumereview.db.ConfigurationException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.spring.internal.MeterRegistries;
import com.airesumereview.db.spring.internal.PoolSettings;
import com.airesumereview.db.spring.internal.PropertyBinding;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Spring Boot auto-configuration: a {@link ResumeReviewDb} bean on the application's only (or {@code @Primary})
 * {@link DataSource}, which stays Boot's to pool and close (no second pool), joined to Spring's transactions
 * through the application's {@link PlatformTransactionManager}: every library call in a {@code @Transactional}
 * method or a {@code TransactionTemplate} runs in that transaction, and {@code db.inTransaction} is a savepoint in
 * it ({@code PROPAGATION_NESTED}). Settings come from {@code resume-review-db.*} ({@link ResumeReviewDbProperties});
 * metrics go to Boot's {@code MeterRegistry} when there is one; with the actuator, a {@code resumeReviewDb} health
 * component ({@link ResumeReviewDbHealthIndicator}). Backs off when the application defines its own
 * {@code ResumeReviewDb} bean, or with {@code resume-review-db.enabled=false}.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class})
@ConditionalOnClass(name = {"org.springframework.jdbc.datasource.DataSourceUtils",
        "org.springframework.transaction.PlatformTransactionManager"})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = ResumeReviewDbProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class ResumeReviewDbAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger("com.airesumereview.db.spring");

    /**
     * The {@code resume-review-db.*} properties, bound here so that a value Boot cannot convert is a
     * {@link com.airesumereview.db.ConfigurationException} naming the property, like every other wrong value.
     *
     * @param environment the application's environment
     * @return the bound properties
     */
    @Bean
    @ConditionalOnMissingBean
    public ResumeReviewDbProperties resumeReviewDbProperties(Environment environment) {
        return PropertyBinding.bind(environment);
    }

    /** Adds the library's connection settings to Boot's HikariCP pool before it starts (see the properties). */
    @Bean
    static PoolSettings resumeReviewDbPoolSettings(Environment environment) {
        return new PoolSettings(environment);
    }

    /**
     * The library on Boot's data source. Runs the start-up schema check ({@code resume-review-db.schema-check}):
     * FAIL stops the context with the report. Closing it at shut-down leaves Boot's pool open for Boot to close.
     *
     * @param dataSource          Boot's data source (the primary)
     * @param properties          the {@code resume-review-db.*} properties
     * @param transactionManagers the context's transaction managers, whose transactions library calls join
     * @param beanFactory         to find the manager {@code resume-review-db.transaction-manager} names
     * @return the library, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ResumeReviewDb resumeReviewDb(DataSource dataSource, ResumeReviewDbProperties properties,
                                         ObjectProvider<PlatformTransactionManager> transactionManagers,
                                         BeanFactory beanFactory) {
        PlatformTransactionManager transactionManager = transactionManager(dataSource, properties, transactionManagers,
                beanFactory);
        ResumeReviewDbConfig config = PropertyBinding.config(properties, dataSource, transactionManager,
                MeterRegistries.find(beanFactory));
        PoolSettings.reportMissing(dataSource, properties);
        return PropertyBinding.inPropertyTerms(() -> ResumeReviewDb.connect(config));
    }

    /**
     * Spring's transaction manager for {@code dataSource}, or null (then the library runs its own transactions).
     * Several managers and none {@code @Primary} nor named is a start-up failure: library calls that silently did
     * not join the service's {@code @Transactional} methods would break their atomicity.
     */
    private static PlatformTransactionManager transactionManager(DataSource dataSource, ResumeReviewDbProperties properties,
                                                                 ObjectProvider<PlatformTransactionManager> managers,
                                                                 BeanFactory beanFactory) {
        String setting = ResumeReviewDbProperties.PREFIX + ".transaction-manager";
        PlatformTransactionManager manager;
        String named = properties.getTransactionManager();
        if (named != null && !named.isBlank()) {
            if (!beanFactory.containsBean(named)) {
                throw new ConfigurationException(setting, setting + " names no bean, was '" + named + "'");
            }
            Object bean = beanFactory.getBean(named);
            if (!(bean instanceof PlatformTransactionManager named0)) {
                throw new ConfigurationException(setting, setting + " must name a PlatformTransactionManager bean, '"
                        + named + "' is a " + bean.getClass().getName());
            }
            manager = named0;
        } else {
            manager = managers.getIfUnique();
        }
        if (manager == null) {
            List<PlatformTransactionManager> all = managers.stream().toList();
            if (!all.isEmpty()) {
                throw new ConfigurationException(setting, "the context has " + all.size() + " transaction managers"
                        + " and none is @Primary, so library calls would not join @Transactional methods; mark the one"
                        + " for the library's DataSource @Primary or name it in " + setting);
            }
            LOG.debug("resume-review-db: no PlatformTransactionManager in the context; the library runs its own"
                    + " transactions");
            return null;
        }
        if (manager instanceof DataSourceTransactionManager jdbc && jdbc.getDataSource() != null
                && jdbc.getDataSource() != dataSource) {
            LOG.warn("resume-review-db: the transaction manager manages another DataSource than the one the library"
                    + " uses, so library calls do not join its transactions; the library runs its own");
            return null;
        }
        return manager;
    }

    /** The {@code resumeReviewDb} health component, with Boot's actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.resume-review-db", name = "enabled", matchIfMissing = true)
    static class HealthConfiguration {
        /** Named so that Boot shows it as {@code resumeReviewDb} (the bean {@code resumeReviewDb} is the library). */
        @Bean
        @ConditionalOnMissingBean(name = "resumeReviewDbHealthIndicator")
        ResumeReviewDbHealthIndicator resumeReviewDbHealthIndicator(ResumeReviewDb db,
                                                                    ResumeReviewDbProperties properties) {
            return new ResumeReviewDbHealthIndicator(db, properties.getHealth().getTimeout(),
                    properties.getHealth().getSchemaCheckInterval());
        }
    }
}
