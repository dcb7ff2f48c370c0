package com.airesumereview.db.spring.internal;

import com.airesumereview.db.ConfigurationException;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.spring.ResumeReviewDbProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Reads {@code resume-review-db.*} into {@link ResumeReviewDbProperties} and those into a
 * {@link ResumeReviewDbConfig}, so that every wrong value, whether Boot cannot convert it or the library's builder
 * refuses it, is one {@link ConfigurationException} whose setting is the Spring property.
 */
public final class PropertyBinding {
    /** Builder setting -> property, for the settings the properties feed. */
    private static final Map<String, String> PROPERTY_OF = Map.of(
            "schemaCheck", "schema-check",
            "maxFailedLogins", "max-failed-logins",
            "lockDuration", "lock-duration",
            "sessionLifetime", "session-lifetime",
            "readReplica", "read-replicas",
            "maxReplicaLag", "max-replica-lag",
            "statementTimeout", "statement-timeout",
            "pooler", "pooler",
            "applicationName", "application-name");

    private PropertyBinding() {
    }

    /**
     * Binds the properties (defaults for those not set).
     *
     * @throws ConfigurationException naming the property whose value cannot be converted (never echoing a
     *                                replica URL, which may hold a password)
     */
    public static ResumeReviewDbProperties bind(Environment environment) {
        ResumeReviewDbProperties properties;
        try {
            properties = Binder.get(environment).bindOrCreate(ResumeReviewDbProperties.PREFIX,
                    Bindable.of(ResumeReviewDbProperties.class));
        } catch (BindException e) {
            String name = e.getName().toString();
            Object value = e.getProperty() == null ? null : e.getProperty().getValue();
            String shown = value == null || name.contains("read-replicas") ? "" : ", was '" + value + "'";
            String origin = e.getProperty() == null || e.getProperty().getOrigin() == null ? ""
                    : " (" + e.getProperty().getOrigin() + ")";
            throw new ConfigurationException(name, name + " cannot be read as " + expected(e) + shown + origin, e);
        }
        ResumeReviewDbProperties.HealthSettings health = properties.getHealth();
        check("health.timeout", health.getTimeout() != null && health.getTimeout().toMillis() >= 1
                && health.getTimeout().compareTo(Duration.ofMinutes(1)) <= 0,
                "must be between 1 ms and 1 minute, was " + health.getTimeout());
        check("health.schema-check-interval", health.getSchemaCheckInterval() != null
                && health.getSchemaCheckInterval().toSeconds() >= 1,
                "must be at least 1 s, was " + health.getSchemaCheckInterval());
        Duration window = properties.getPoolSettings().getValidationBypassWindow();
        check("pool-settings.validation-bypass-window", window != null && !window.isNegative(),
                "must be zero (HikariCP's own checks) or positive, was " + window);
        return properties;
    }

    private static String expected(BindException e) {
        Class<?> type = e.getTarget().getType().resolve(Object.class);
        if (type == Duration.class) {
            return "a duration (e.g. 30s, 10m, 7d or PT30S)";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        if (type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName();
    }

    private static void check(String property, boolean valid, String rule) {
        if (!valid) {
            String name = ResumeReviewDbProperties.PREFIX + "." + property;
            throw new ConfigurationException(name, name + " " + rule);
        }
    }

    /**
     * The library's configuration for Boot's data source: the properties, and Spring's transaction manager and
     * Micrometer registry when given (either may be null).
     *
     * @throws ConfigurationException naming the property that is wrong
     */
    public static ResumeReviewDbConfig config(ResumeReviewDbProperties properties, DataSource dataSource,
                                              Object transactionManager, Object meterRegistry) {
        return inPropertyTerms(() -> {
            ResumeReviewDbConfig.Builder builder = ResumeReviewDbConfig.builder()
                    .dataSource(dataSource)
                    .schemaCheck(properties.getSchemaCheck())
                    .maxFailedLogins(properties.getMaxFailedLogins())
                    .lockDuration(properties.getLockDuration())
                    .sessionLifetime(properties.getSessionLifetime())
                    .maxReplicaLag(properties.getMaxReplicaLag())
                    .statementTimeout(properties.getStatementTimeout())
                    .pooler(properties.getPooler())
                    .applicationName(properties.getApplicationName());
            for (String replica : properties.getReadReplicas()) {
                builder.readReplica(replica);
            }
            if (transactionManager != null) {
                builder.transactionManager(transactionManager);
            }
            if (meterRegistry != null) {
                builder.meterRegistry(meterRegistry);
            }
            return builder.build();
        });
    }

    /**
     * Runs {@code work}, renaming a {@link ConfigurationException} about a builder setting the properties feed to
     * the property (message included): {@code maxFailedLogins must be ..} becomes
     * {@code resume-review-db.max-failed-logins must be ..}.
     */
    public static <T> T inPropertyTerms(Supplier<T> work) {
        try {
            return work.get();
        } catch (ConfigurationException e) {
            throw rename(e);
        }
    }

    static ConfigurationException rename(ConfigurationException e) {
        String property = PROPERTY_OF.get(e.setting());
        if (property == null) {
            return e;
        }
        String name = ResumeReviewDbProperties.PREFIX + "." + property;
        String message = e.getMessage() != null && e.getMessage().startsWith(e.setting())
                ? name + e.getMessage().substring(e.setting().length()) : name + ": " + e.getMessage();
        return new ConfigurationException(name, message, e);
    }
}
