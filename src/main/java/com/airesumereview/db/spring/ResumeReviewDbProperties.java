package com.airesumereview.db.spring;

import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.Pooler;
import com.airesumereview.db.SchemaCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code resume-review-db.*} properties of a Spring Boot service; each maps to the
 * {@link ResumeReviewDbConfig.Builder} setting of the same name and is validated by it, so a wrong value stops
 * start-up with a {@link com.airesumereview.db.ConfigurationException} whose {@code setting()} is the property
 * (e.g. {@code resume-review-db.max-failed-logins}). Durations take Boot's forms ({@code 30s}, {@code 10m},
 * {@code PT30S}).
 * <pre>
 * resume-review-db.schema-check=FAIL
 * resume-review-db.max-failed-logins=5
 * resume-review-db.lock-duration=30m
 * resume-review-db.read-replicas=postgresql://app:secret@replica-1:5432/ai_resume_review
 * </pre>
 * Bound by the auto-configuration itself (not by {@code @ConfigurationProperties} scanning), so that a value Boot
 * cannot convert is reported in the library's terms too. The IDE metadata ships in the jar
 * ({@code META-INF/spring-configuration-metadata.json}).
 */
public class ResumeReviewDbProperties {
    /** The prefix of every property. */
    public static final String PREFIX = "resume-review-db";

    private boolean enabled = true;
    private SchemaCheck schemaCheck = SchemaCheck.WARN;
    private int maxFailedLogins = ResumeReviewDbConfig.DEFAULT_MAX_FAILED_LOGINS;
    private Duration lockDuration = ResumeReviewDbConfig.DEFAULT_LOCK_DURATION;
    private Duration sessionLifetime = ResumeReviewDbConfig.DEFAULT_SESSION_LIFETIME;
    private List<String> readReplicas = new ArrayList<>();
    private Duration maxReplicaLag = Duration.ofSeconds(1);
    private Duration statementTimeout = Duration.ofSeconds(30);
    private Pooler pooler = Pooler.NONE;
    private String applicationName = "resume-review-db";
    private String transactionManager;
    private final PoolSettings poolSettings = new PoolSettings();
    private final HealthSettings health = new HealthSettings();

    /** {@return whether the auto-configuration creates a {@code ResumeReviewDb} bean at all; default true} */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets what {@link #isEnabled()} returns (bound by Spring Boot from the property).
     *
     * @param enabled the new value
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return start-up drift check: OFF, WARN (default, logs the report) or FAIL (stops the application context)} */
    public SchemaCheck getSchemaCheck() {
        return schemaCheck;
    }

    /**
     * Sets what {@link #getSchemaCheck()} returns (bound by Spring Boot from the property).
     *
     * @param schemaCheck the new value
     */
    public void setSchemaCheck(SchemaCheck schemaCheck) {
        this.schemaCheck = schemaCheck;
    }

    /** {@return failed logins in a row that lock an account, 1..100; default 5, as the Python service} */
    public int getMaxFailedLogins() {
        return maxFailedLogins;
    }

    /**
     * Sets what {@link #getMaxFailedLogins()} returns (bound by Spring Boot from the property).
     *
     * @param maxFailedLogins the new value
     */
    public void setMaxFailedLogins(int maxFailedLogins) {
        this.maxFailedLogins = maxFailedLogins;
    }

    /** {@return how long a lock lasts, 1 s..3650 days; default 30 minutes} */
    public Duration getLockDuration() {
        return lockDuration;
    }

    /**
     * Sets what {@link #getLockDuration()} returns (bound by Spring Boot from the property).
     *
     * @param lockDuration the new value
     */
    public void setLockDuration(Duration lockDuration) {
        this.lockDuration = lockDuration;
    }

    /** {@return lifetime of a session after issue or rotation, 1 min..3650 days; default 7 days} */
    public Duration getSessionLifetime() {
        return sessionLifetime;
    }

    /**
     * Sets what {@link #getSessionLifetime()} returns (bound by Spring Boot from the property).
     *
     * @param sessionLifetime the new value
     */
    public void setSessionLifetime(Duration sessionLifetime) {
        this.sessionLifetime = sessionLifetime;
    }

    /** {@return streaming replicas for reads, either URL form; the library pools each one itself. Empty by default} */
    public List<String> getReadReplicas() {
        return readReplicas;
    }

    /**
     * Sets what {@link #getReadReplicas()} returns (bound by Spring Boot from the property).
     *
     * @param readReplicas the new value
     */
    public void setReadReplicas(List<String> readReplicas) {
        this.readReplicas = readReplicas;
    }

    /** {@return replay lag a replica may have for reads with no earlier write, 0..1 h; default 1 s} */
    public Duration getMaxReplicaLag() {
        return maxReplicaLag;
    }

    /**
     * Sets what {@link #getMaxReplicaLag()} returns (bound by Spring Boot from the property).
     *
     * @param maxReplicaLag the new value
     */
    public void setMaxReplicaLag(Duration maxReplicaLag) {
        this.maxReplicaLag = maxReplicaLag;
    }

    /**
     * Longest a statement may run, 0 for no limit; default 30 s. Sent as the connection option
     * {@code -c statement_timeout} on Boot's pool (see {@link PoolSettings}) and on the replica pools, or, with
     * {@link #getPooler() pooler} {@code transaction}, applied by the driver to every statement.
     *
     * @return the setting
     */
    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    /**
     * Sets what {@link #getStatementTimeout()} returns (bound by Spring Boot from the property).
     *
     * @param statementTimeout the new value
     */
    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    /**
     * What sits between the service and PostgreSQL: {@code none} (default), {@code session} or {@code transaction}
     * (a transaction-pooling PgBouncer: no startup options, {@code prepareThreshold=0} on Boot's pool, the statement
     * timeout applied by the driver). See {@link Pooler}.
     *
     * @return the setting
     */
    public Pooler getPooler() {
        return pooler;
    }

    /**
     * Sets what {@link #getPooler()} returns (bound by Spring Boot from the property).
     *
     * @param pooler the new value
     */
    public void setPooler(Pooler pooler) {
        this.pooler = pooler;
    }

    /** {@return {@code pg_stat_activity.application_name} of the connections, 1..63 characters; default resume-review-db} */
    public String getApplicationName() {
        return applicationName;
    }

    /**
     * Sets what {@link #getApplicationName()} returns (bound by Spring Boot from the property).
     *
     * @param applicationName the new value
     */
    public void setApplicationName(String applicationName) {
        this.applicationName = applicationName;
    }

    /**
     * Bean name of the {@code PlatformTransactionManager} whose transactions library calls join. Needed only when
     * the context has several and none is {@code @Primary}; unset, the unique (or primary) one is used.
     *
     * @return the setting
     */
    public String getTransactionManager() {
        return transactionManager;
    }

    /**
     * Sets what {@link #getTransactionManager()} returns (bound by Spring Boot from the property).
     *
     * @param transactionManager the new value
     */
    public void setTransactionManager(String transactionManager) {
        this.transactionManager = transactionManager;
    }

    /** {@return the connection settings added to Boot's pool ({@code resume-review-db.pool-settings.*})} */
    public PoolSettings getPoolSettings() {
        return poolSettings;
    }

    /** {@return the health indicator's settings ({@code resume-review-db.health.*})} */
    public HealthSettings getHealth() {
        return health;
    }

    /**
     * The connection settings the library's own pools carry, added to Boot's HikariCP pool unless the service set
     * them itself ({@code spring.datasource.hikari.data-source-properties.*} or the JDBC URL):
     * {@code logServerErrorDetail=false} (row values such as emails stay out of exception messages and logs),
     * {@code ApplicationName} and {@code options=-c statement_timeout=..} (a stuck query cannot hold a pooled
     * connection forever); and a keepalive instead of a validation round trip per quiet checkout
     * ({@link #getValidationBypassWindow()}).
     */
    public static class PoolSettings {
        private boolean enabled = true;
        private boolean followPrimary = true;
        private Duration validationBypassWindow = ResumeReviewDbConfig.DEFAULT_VALIDATION_BYPASS_WINDOW;

        /** {@return whether to add them; default true. When false, start-up logs (WARN) which ones the pool lacks} */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets what {@link #isEnabled()} returns (bound by Spring Boot from the property).
         *
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Whether Boot's pool also opens its connections the way the library's own pools do (with
         * {@link #isEnabled()}): only on the primary among the URL's hosts, following a promotion and refusing a
         * stale primary, and retried every 100 ms during an outage ({@code com.airesumereview.db.FailoverConnections});
         * default true. Turn it off to keep HikariCP's own connection opening.
         *
         * @return the setting
         */
        public boolean isFollowPrimary() {
            return followPrimary;
        }

        /**
         * Sets what {@link #isFollowPrimary()} returns (bound by Spring Boot from the property).
         *
         * @param followPrimary the new value
         */
        public void setFollowPrimary(boolean followPrimary) {
            this.followPrimary = followPrimary;
        }

        /**
         * How long after its last contact with the server a connection of Boot's pool is lent without HikariCP's
         * validation round trip (with {@link #isEnabled()}); default 25 s, zero for HikariCP's own check of every
         * connection idle over 500 ms. Without {@code spring.datasource.hikari.keepalive-time} the pool's keepalive
         * is set to 30 s; a window not shorter than 90% of the keepalive is shortened to 85% of it, so the
         * keepalive's own check reaches the server.
         *
         * @return the window
         */
        public Duration getValidationBypassWindow() {
            return validationBypassWindow;
        }

        /**
         * Sets what {@link #getValidationBypassWindow()} returns (bound by Spring Boot from the property).
         *
         * @param validationBypassWindow the new value; zero or positive
         */
        public void setValidationBypassWindow(Duration validationBypassWindow) {
            this.validationBypassWindow = validationBypassWindow;
        }
    }

    /** The {@code resumeReviewDb} health indicator (with Boot's actuator). */
    public static class HealthSettings {
        private Duration timeout = Duration.ofSeconds(2);
        private Duration schemaCheckInterval = Duration.ofMinutes(10);

        /** {@return how long the probe waits for {@code SELECT 1}, 1 ms..1 min; default 2 s} */
        public Duration getTimeout() {
            return timeout;
        }

        /**
         * Sets what {@link #getTimeout()} returns (bound by Spring Boot from the property).
         *
         * @param timeout the new value
         */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /**
         * How long a schema verdict is reused before the next probe compares the schema again (a comparison takes
         * a few hundred milliseconds), at least 1 s; default 10 minutes.
         *
         * @return the setting
         */
        public Duration getSchemaCheckInterval() {
            return schemaCheckInterval;
        }

        /**
         * Sets what {@link #getSchemaCheckInterval()} returns (bound by Spring Boot from the property).
         *
         * @param schemaCheckInterval the new value
         */
        public void setSchemaCheckInterval(Duration schemaCheckInterval) {
            this.schemaCheckInterval = schemaCheckInterval;
        }
    }
}
