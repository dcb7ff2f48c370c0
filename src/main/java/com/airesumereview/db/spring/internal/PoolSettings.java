package com.airesumereview.db.spring.internal;

import static com.airesumereview.db.internal.ConnectionSettings.APPLICATION_NAME;
import static com.airesumereview.db.internal.ConnectionSettings.ERROR_DETAIL;
import static com.airesumereview.db.internal.ConnectionSettings.OPTIONS;
import static com.airesumereview.db.internal.ConnectionSettings.PREPARE_THRESHOLD;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.FailoverConnections;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.internal.ConnectionSettings;
import com.airesumereview.db.internal.LivenessDataSource;
import com.airesumereview.db.spring.ResumeReviewDbProperties;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The connection settings the library's own pools carry ({@code ResumeReviewDb.connect} with a URL), put on Boot's
 * HikariCP pool before it starts (Boot starts it lazily, at the first connection; a started pool's settings are
 * sealed). A setting the service gave itself, as a data source property or in the JDBC URL, is left alone.
 * Runs after Boot has bound {@code spring.datasource.hikari.*} (an unordered post-processor, so after Boot's
 * binding one), and only on the data source the library will use: the only one, or the {@code @Primary} one.
 * With {@code resume-review-db.pool-settings.follow-primary} (default on) the pool's connections then come from
 * {@link FailoverConnections}, like the library's own pools: only from the primary among the URL's hosts, retried
 * every 100 ms during an outage. Those are closed when Boot closes the pool, just before it. With
 * {@code resume-review-db.pool-settings.validation-bypass-window} (default 25 s) the pool also keeps its connections
 * alive in the background (keepalive 30 s unless {@code spring.datasource.hikari.keepalive-time} is set) instead of
 * validating each quiet checkout ({@link LivenessDataSource}).
 */
public final class PoolSettings implements DestructionAwareBeanPostProcessor, BeanFactoryAware, Ordered {
    private static final Logger LOG = LoggerFactory.getLogger("com.airesumereview.db.spring");

    static final String KEEPALIVE_PROPERTY = "spring.datasource.hikari.keepalive-time";

    private final Environment environment;
    private ConfigurableListableBeanFactory beanFactory;
    /** What was installed under each pool, closed with it. */
    private final Map<Object, FailoverConnections> installed = new IdentityHashMap<>();

    public PoolSettings(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory instanceof ConfigurableListableBeanFactory c ? c : null;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof HikariDataSource hikari && isTheLibrarysDataSource(beanName)) {
            ResumeReviewDbProperties properties = PropertyBinding.bind(environment);
            if (properties.isEnabled() && properties.getPoolSettings().isEnabled()) {
                apply(hikari, properties);
                if (properties.getPoolSettings().isFollowPrimary()) {
                    followPrimary(hikari, properties);
                }
                keepAliveInsteadOfValidating(hikari, properties.getPoolSettings().getValidationBypassWindow());
            }
        }
        return bean;
    }

    /** Puts {@link FailoverConnections} under a pool that has not started and opens plain PostgreSQL connections. */
    private void followPrimary(HikariDataSource hikari, ResumeReviewDbProperties properties) {
        String url = hikari.getJdbcUrl();
        if (hikari.getHikariPoolMXBean() != null || url == null || !url.startsWith("jdbc:postgresql:")) {
            LOG.debug("resume-review-db: the pool {} keeps HikariCP's own connections (started, its own data source,"
                    + " or not a jdbc:postgresql: URL)", hikari.getPoolName());
            return;
        }
        List<DatabaseUrl> replicas = new ArrayList<>();
        try {
            for (String replica : properties.getReadReplicas()) {
                replicas.add(DatabaseUrl.parse(replica));
            }
        } catch (RuntimeException invalid) {
            // The ResumeReviewDb bean refuses it, naming resume-review-db.read-replicas; the URL's hosts still count.
            replicas.clear();
        }
        FailoverConnections connections;
        try {
            // The registry is looked up at the first refused primary, not now, so it is not created this early.
            connections = FailoverConnections.install(hikari, replicas, () -> beanFactory == null ? null
                    : MeterRegistries.find(beanFactory));
        } catch (DatabaseUrl.InvalidDatabaseUrlException invalid) {
            LOG.warn("resume-review-db: spring.datasource.url: {}; Boot's pool keeps HikariCP's own connections, so it"
                    + " does not follow a promotion (see docs/failover.md)", invalid.getMessage());
            return;
        }
        if (connections.installed()) {
            synchronized (installed) {
                installed.put(hikari, connections);
            }
            LOG.debug("resume-review-db: the pool {} follows the primary among its hosts", hikari.getPoolName());
        }
    }

    /**
     * Like the library's own pools: the keepalive checks idle connections in the background (30 s unless the
     * service set {@code spring.datasource.hikari.keepalive-time}) and a connection in recent contact with the server
     * is lent without a validation round trip ({@link LivenessDataSource}, outermost, so after
     * {@link #followPrimary}).
     */
    private void keepAliveInsteadOfValidating(HikariDataSource hikari, Duration window) {
        if (window.isZero() || hikari.getHikariPoolMXBean() != null) {
            return;
        }
        try {
            if (!environment.containsProperty(KEEPALIVE_PROPERTY)) {
                hikari.setKeepaliveTime(ResumeReviewDbConfig.DEFAULT_KEEPALIVE_TIME.toMillis());
            }
            long keepalive = hikari.getKeepaliveTime();
            if (keepalive > 0 && window.toMillis() * 10 >= keepalive * 9) {
                Duration shortened = Duration.ofMillis(keepalive * 85 / 100);
                LOG.info("resume-review-db: pool-settings.validation-bypass-window {} is not shorter than 90% of {}"
                        + " ({} ms); using {} so the keepalive's check reaches the server", window, KEEPALIVE_PROPERTY,
                        keepalive, shortened);
                window = shortened;
            }
            if (LivenessDataSource.install(hikari, window) != null) {
                LOG.debug("resume-review-db: the pool {} lends connections in contact within {} without validating"
                        + " them; keepalive every {} ms", hikari.getPoolName(), window, keepalive);
            }
        } catch (IllegalStateException sealed) {
            LOG.debug("resume-review-db: the pool {} had started before its keepalive could be set",
                    hikari.getPoolName());
        }
    }

    @Override
    public boolean requiresDestruction(Object bean) {
        synchronized (installed) {
            return installed.containsKey(bean);
        }
    }

    /** Before Boot closes the pool: a connection request waiting for a primary gives up, so it closes at once. */
    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
        FailoverConnections connections;
        synchronized (installed) {
            connections = installed.remove(bean);
        }
        if (connections != null) {
            connections.close();
        }
    }

    private boolean isTheLibrarysDataSource(String beanName) {
        if (beanFactory == null) {
            return true;
        }
        String[] names = beanFactory.getBeanNamesForType(DataSource.class, true, false);
        return names.length <= 1 || (beanFactory.containsBeanDefinition(beanName)
                && beanFactory.getMergedBeanDefinition(beanName).isPrimary());
    }

    /** What the library's own pools carry, for {@code properties} (one decision: {@link ConnectionSettings}). */
    static ConnectionSettings settings(ResumeReviewDbProperties properties) {
        return ConnectionSettings.of(properties.getPooler(), properties.getStatementTimeout(),
                properties.getApplicationName());
    }

    /** The data source properties of {@link #settings}: name -> value, in the order they are explained. */
    static Map<String, String> wanted(ResumeReviewDbProperties properties) {
        return settings(properties).dataSourceProperties();
    }

    /** Adds the settings the pool lacks and logs (DEBUG) what it added. */
    static void apply(HikariDataSource hikari, ResumeReviewDbProperties properties) {
        List<String> added = new ArrayList<>();
        ConnectionSettings settings = settings(properties);
        for (Map.Entry<String, String> setting : settings.dataSourceProperties().entrySet()) {
            if (!isSet(hikari.getJdbcUrl(), hikari.getDataSourceProperties(), setting.getKey())) {
                try {
                    hikari.addDataSourceProperty(setting.getKey(), setting.getValue());
                    added.add(setting.getKey() + "=" + setting.getValue());
                } catch (IllegalStateException sealed) {
                    // reportMissing says so once, at WARN, when the ResumeReviewDb bean is created.
                    LOG.debug("resume-review-db: the pool {} had started before its settings could be added",
                            hikari.getPoolName());
                    return;
                }
            }
        }
        String initSql = settings.initSql();
        if (initSql != null && hikari.getConnectionInitSql() == null) {
            // a session pooler keeps what the session SETs, but refuses it as a startup option
            try {
                hikari.setConnectionInitSql(initSql);
                added.add("connectionInitSql=" + initSql);
            } catch (IllegalStateException sealed) {
                LOG.debug("resume-review-db: the pool {} had started before its settings could be added",
                        hikari.getPoolName());
            }
        }
        LOG.debug("resume-review-db: added to pool {}: {}", hikari.getPoolName(), added.isEmpty() ? "nothing" : added);
    }

    /**
     * Called once when the {@code ResumeReviewDb} bean is created: logs (WARN) the settings its data source lacks
     * and why they matter, so the gap is in the log once rather than found in an incident. Silent when all are
     * there, and (DEBUG) when the pool is not HikariCP and cannot be inspected.
     */
    public static void reportMissing(DataSource dataSource, ResumeReviewDbProperties properties) {
        HikariDataSource hikari = hikari(dataSource);
        if (hikari == null) {
            LOG.debug("resume-review-db: the data source {} is not a HikariCP pool; make sure its connections set {}",
                    dataSource.getClass().getName(), wanted(properties).keySet());
            return;
        }
        if (hikari.getJdbcUrl() == null && hikari.getDataSource() != null) {
            // Its own data source (or FailoverConnections, which took the settings PoolSettings added) opens them.
            LOG.debug("resume-review-db: the pool {} opens connections through {}; make sure they set {}",
                    hikari.getPoolName(), hikari.getDataSource().getClass().getName(), wanted(properties).keySet());
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String key : wanted(properties).keySet()) {
            if (!key.equals(APPLICATION_NAME) && !isSet(hikari.getJdbcUrl(), hikari.getDataSourceProperties(), key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            LOG.warn("resume-review-db: the HikariCP pool {}lacks settings the library relies on; {}",
                    hikari.getPoolName() == null ? "" : hikari.getPoolName() + " ", missingExplained(missing));
        }
    }

    private static HikariDataSource hikari(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource h) {
            return h;
        }
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    static String missingExplained(List<String> missing) {
        List<String> why = new ArrayList<>();
        for (String key : missing) {
            switch (key) {
                case ERROR_DETAIL -> why.add("logServerErrorDetail=false (else row values such as emails and token"
                        + " hashes appear in exception messages and logs)");
                case OPTIONS -> why.add("options=-c statement_timeout=.. (else a stuck query holds a pooled"
                        + " connection forever; behind PgBouncer set resume-review-db.pooler instead)");
                case PREPARE_THRESHOLD -> why.add("prepareThreshold=0 (behind a transaction-pooling PgBouncer a"
                        + " server-side prepared statement is missing, or another client's, on the next server connection)");
                default -> why.add(key + " (shown in pg_stat_activity)");
            }
        }
        return "missing: " + String.join("; ", why) + ". Set them under spring.datasource.hikari.data-source-properties"
                + " or leave resume-review-db.pool-settings.enabled on";
    }

    /** Whether the service set {@code key} itself: as a data source property or a JDBC URL parameter. */
    static boolean isSet(String jdbcUrl, Properties dataSourceProperties, String key) {
        if (dataSourceProperties != null) {
            for (String name : dataSourceProperties.stringPropertyNames()) {
                if (name.equalsIgnoreCase(key)) {
                    return true;
                }
            }
        }
        if (jdbcUrl == null || jdbcUrl.indexOf('?') < 0) {
            return false;
        }
        for (String parameter : jdbcUrl.substring(jdbcUrl.indexOf('?') + 1).split("&")) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            if (name.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
