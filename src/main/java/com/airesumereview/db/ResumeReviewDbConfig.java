package com.airesumereview.db;

import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Everything {@link ResumeReviewDb#connect(ResumeReviewDbConfig)} needs, validated when built: a wrong value
 * fails at start-up with a {@link ConfigurationException} naming the setting ({@link ConfigurationException#setting()})
 * and what is allowed. The database is either a URL (the library creates and owns a HikariCP pool) or a
 * {@link DataSource} the caller owns; the schema check, lock-out, session, replica and metrics settings apply to both.
 * <pre>{@code
 * ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
 *         .url("postgresql://app:secret@db:5432/ai_resume_review")   // or jdbc:postgresql://..., or .dataSource(pool)
 *         .maximumPoolSize(20)
 *         .schemaCheck(SchemaCheck.FAIL)
 *         .readReplica("postgresql://app:secret@replica-1:5432/ai_resume_review")
 *         .poolCustomizer(hikari -> hikari.setLeakDetectionThreshold(60_000))
 *         .meterRegistry(meterRegistry)                                // optional, io.micrometer MeterRegistry
 *         .build();
 * }</pre>
 * Defaults: pool of 10 connections, 10 s to get a connection, 10 min idle timeout, 30 min maximum
 * lifetime, statement timeout 30 s (so a stuck query cannot hold a pooled connection forever). The pool settings
 * apply to every pool the library creates (the primary's for a URL, each replica URL's); a caller's
 * {@link DataSource} keeps its own.
 *
 * <p>Immutable, so one config may be shared between threads and {@link ResumeReviewDb} instances.
 */
public final class ResumeReviewDbConfig {
    /** Environment variable read by {@link #fromEnvironment()}: the primary, either URL form. */
    public static final String DATABASE_URL_ENV = "DATABASE_URL";
    /** Optional environment variable for {@link Builder#maximumPoolSize(int)}. */
    public static final String POOL_SIZE_ENV = "DATABASE_POOL_SIZE";
    /** Optional environment variable: read replicas, comma-separated, each in either URL form. */
    public static final String READ_URLS_ENV = "DATABASE_READ_URLS";
    /** Optional environment variable for {@link Builder#pooler(Pooler)}: {@code none}, {@code session} or {@code transaction}. */
    public static final String POOLER_ENV = "DATABASE_POOLER";

    private static final String URL_FORMS = "postgresql://user:password@host:5432/database or"
            + " jdbc:postgresql://host:5432/database?user=..";

    /** Failed logins in a row that lock an account in the running Python service. */
    public static final int DEFAULT_MAX_FAILED_LOGINS = 5;
    /** How long the running Python service locks an account. */
    public static final Duration DEFAULT_LOCK_DURATION = Duration.ofMinutes(30);
    /** Lifetime of a session after issue or rotation in the running Python service. */
    public static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofDays(7);

    /** {@link #keepaliveTime()}'s default: HikariCP's shortest, so a connection killed while idle is found soon. */
    public static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofSeconds(30);

    /** {@link #validationBypassWindow()}'s default: shorter than 90% of the default keepalive. */
    public static final Duration DEFAULT_VALIDATION_BYPASS_WINDOW = Duration.ofSeconds(25);

    private final DatabaseUrl url;
    private final DataSource dataSource;
    private final int maximumPoolSize;
    private final int minimumIdle;
    private final Duration connectionTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration keepaliveTime;
    private final Duration validationBypassWindow;
    private final Duration statementTimeout;
    private final Pooler pooler;
    private final String applicationName;
    private final SchemaCheck schemaCheck;
    private final int maxFailedLogins;
    private final Duration lockDuration;
    private final Duration sessionLifetime;
    private final List<DatabaseUrl> readReplicaUrls;
    private final List<DataSource> readReplicaDataSources;
    private final Duration maxReplicaLag;
    private final Consumer<HikariConfig> poolCustomizer;
    private final Object meterRegistry;
    private final Object transactionManager;

    private ResumeReviewDbConfig(Builder b) {
        this.url = b.url;
        this.dataSource = b.dataSource;
        this.maximumPoolSize = b.maximumPoolSize;
        this.minimumIdle = b.minimumIdle < 0 ? b.maximumPoolSize : b.minimumIdle;
        this.connectionTimeout = b.connectionTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.keepaliveTime = b.keepaliveTime;
        this.validationBypassWindow = b.validationBypassWindow;
        this.statementTimeout = b.statementTimeout;
        this.pooler = b.pooler;
        this.applicationName = b.applicationName;
        this.schemaCheck = b.schemaCheck;
        this.maxFailedLogins = b.maxFailedLogins;
        this.lockDuration = b.lockDuration;
        this.sessionLifetime = b.sessionLifetime;
        this.readReplicaUrls = List.copyOf(b.readReplicaUrls);
        this.readReplicaDataSources = List.copyOf(b.readReplicaDataSources);
        this.maxReplicaLag = b.maxReplicaLag;
        this.poolCustomizer = b.poolCustomizer;
        this.meterRegistry = b.meterRegistry;
        this.transactionManager = b.transactionManager;
    }

    /**
     * A builder with the defaults above.
     *
     * @return a new builder; nothing is checked until {@link Builder#build()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the process environment: {@value #DATABASE_URL_ENV} and, if set, {@value #POOL_SIZE_ENV},
     * {@value #READ_URLS_ENV} and {@value #POOLER_ENV}. Same as {@code fromEnvironment(System.getenv())}.
     *
     * @return the validated config, other settings at their defaults
     * @throws ConfigurationException naming the variable when it is missing or invalid
     */
    public static ResumeReviewDbConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Like {@link #fromEnvironment()} with the given variables (tests, or a service's own settings map). To add
     * settings the environment has no variable for, use {@code builder().fromEnvironment(env).meterRegistry(r).build()}.
     *
     * @param environment variable names to values; null is refused with a {@link ConfigurationException}
     * @return the validated config, other settings at their defaults
     * @throws ConfigurationException naming the variable when it is missing or invalid
     */
    public static ResumeReviewDbConfig fromEnvironment(Map<String, String> environment) {
        return builder().fromEnvironment(environment).build();
    }

    /**
     * The primary's address when the config was built with a URL; null when built with {@link #dataSource()}.
     *
     * @return the primary's URL, or null for a data-source config
     */
    public DatabaseUrl url() {
        return url;
    }

    /**
     * The caller's data source when the config was built with one (the caller closes it); null for a URL.
     *
     * @return the caller's data source, or null for a URL config
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The most connections each pool the library creates holds, 1..500; default 10.
     *
     * @return the pool size
     */
    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /**
     * Idle connections each pool the library creates keeps; by default the pool size (a fixed pool).
     *
     * @return the count, 0..{@link #maximumPoolSize()}
     */
    public int minimumIdle() {
        return minimumIdle;
    }

    /**
     * How long a caller waits for a pooled connection; default 10 s.
     *
     * @return the timeout, at least 250 ms
     */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /**
     * How long an idle connection above {@link #minimumIdle()} is kept; default 10 min.
     *
     * @return the timeout; zero means idle connections are kept forever
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * How long a pooled connection lives before the pool replaces it; default 30 min.
     *
     * @return the lifetime; zero means no limit, otherwise at least 30 s
     */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /**
     * How often the pool checks each idle connection with a round trip in the background (HikariCP's
     * {@code keepaliveTime}); default 30 s.
     *
     * @return the interval; zero means no background check, otherwise at least 30 s and shorter than
     *         {@link #maxLifetime()}
     */
    public Duration keepaliveTime() {
        return keepaliveTime;
    }

    /**
     * How long after its last contact with the server a pooled connection is lent without a validation round trip;
     * default 25 s. HikariCP on its own validates every connection idle for more than 500 ms, one round trip more
     * per call for a quiet service; within this window the background keepalive does that work instead. After a
     * connection failure in the pool every connection is validated again before it is lent (docs/production.md).
     *
     * @return the window; zero means HikariCP's own checks
     */
    public Duration validationBypassWindow() {
        return validationBypassWindow;
    }

    /**
     * Longest a statement may run before it is cancelled; default 30 s. How it is applied depends on {@link #pooler()}.
     *
     * @return the timeout; zero means no timeout
     */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /**
     * What sits between the library and the server ({@link Pooler}); decides how {@link #statementTimeout()} is
     * applied and whether the driver keeps server-side prepared statements. Default {@link Pooler#NONE}.
     *
     * @return the pooler, never null
     */
    public Pooler pooler() {
        return pooler;
    }

    /**
     * Shown in {@code pg_stat_activity.application_name}; default {@code resume-review-db}.
     *
     * @return the name, 1..63 characters
     */
    public String applicationName() {
        return applicationName;
    }

    /**
     * What to do at start-up about drift between the live database and the bundled snapshot.
     *
     * @return the mode, never null; default {@link SchemaCheck#WARN}
     */
    public SchemaCheck schemaCheck() {
        return schemaCheck;
    }

    /**
     * Failed logins in a row that lock an account; default 5, as the Python service.
     *
     * @return the count, 1..100
     */
    public int maxFailedLogins() {
        return maxFailedLogins;
    }

    /**
     * How long an account stays locked after {@link #maxFailedLogins()} failures; default 30 minutes.
     *
     * @return the lock duration, 1 s..3650 days
     */
    public Duration lockDuration() {
        return lockDuration;
    }

    /**
     * How long a session (refresh token) lives after its issue or last rotation; default 7 days.
     *
     * @return the lifetime, 1 min..3650 days
     */
    public Duration sessionLifetime() {
        return sessionLifetime;
    }

    /**
     * Streaming replicas that serve reads; empty (the default) means every statement runs on the primary.
     *
     * @return the replica URLs in the order added; immutable, never null
     */
    public List<DatabaseUrl> readReplicaUrls() {
        return readReplicaUrls;
    }

    /**
     * Replicas the caller pools itself (and closes); used like {@link #readReplicaUrls()}. Empty by default.
     *
     * @return the caller's replica data sources in the order added; immutable, never null
     */
    public List<DataSource> readReplicaDataSources() {
        return readReplicaDataSources;
    }

    /**
     * Replay lag a replica may have to serve a read with no earlier write of the caller; default 1 s.
     *
     * @return the lag, 0..1 h
     */
    public Duration maxReplicaLag() {
        return maxReplicaLag;
    }

    /**
     * Applied to every HikariCP pool the library creates (primary and replicas), after the library's own settings,
     * so it may override them; does nothing by default.
     *
     * @return the customizer, never null
     */
    public Consumer<HikariConfig> poolCustomizer() {
        return poolCustomizer;
    }

    /**
     * The Micrometer {@code MeterRegistry} the metrics go to, or null (the default: no metrics, and Micrometer
     * need not be on the classpath). Typed {@code Object}, as HikariCP's {@code setMetricRegistry}, so that this
     * class loads without Micrometer.
     *
     * @return the {@code MeterRegistry}, or null when metrics are off
     */
    public Object meterRegistry() {
        return meterRegistry;
    }

    /**
     * The Spring {@code PlatformTransactionManager} whose transactions the library joins, or null (the default: the
     * library runs its own transactions). Typed {@code Object} so that this class loads without Spring.
     *
     * @return the {@code PlatformTransactionManager}, or null when the library runs its own transactions
     */
    public Object transactionManager() {
        return transactionManager;
    }

    @Override
    public String toString() {
        return "ResumeReviewDbConfig[" + (url != null ? "url=" + url : "dataSource=" + dataSource.getClass().getName())
                + ", maximumPoolSize=" + maximumPoolSize + ", pooler=" + pooler + ", schemaCheck=" + schemaCheck
                + ", readReplicas=" + (readReplicaUrls.size() + readReplicaDataSources.size())
                + ", metrics=" + (meterRegistry != null) + ", springTransactions=" + (transactionManager != null) + "]";
    }

    /**
     * Builds a {@link ResumeReviewDbConfig}. Setters that parse (URLs) fail at once; {@link #build()} checks every
     * other setting. Each failure is a {@link ConfigurationException} naming the setting.
     */
    public static final class Builder {
        private DatabaseUrl url;
        private DataSource dataSource;
        private int maximumPoolSize = 10;
        private int minimumIdle = -1;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration keepaliveTime = DEFAULT_KEEPALIVE_TIME;
        private Duration validationBypassWindow = DEFAULT_VALIDATION_BYPASS_WINDOW;
        private Duration statementTimeout = Duration.ofSeconds(30);
        private Pooler pooler = Pooler.NONE;
        private String applicationName = "resume-review-db";
        private SchemaCheck schemaCheck = SchemaCheck.WARN;
        private int maxFailedLogins = DEFAULT_MAX_FAILED_LOGINS;
        private Duration lockDuration = DEFAULT_LOCK_DURATION;
        private Duration sessionLifetime = DEFAULT_SESSION_LIFETIME;
        private final List<DatabaseUrl> readReplicaUrls = new ArrayList<>();
        private final List<DataSource> readReplicaDataSources = new ArrayList<>();
        private Duration maxReplicaLag = Duration.ofSeconds(1);
        private Consumer<HikariConfig> poolCustomizer = hikari -> { };
        private Object meterRegistry;
        private Object transactionManager;

        private Builder() {
        }

        /**
         * Reads {@value #DATABASE_URL_ENV} (required), {@value #POOL_SIZE_ENV}, {@value #READ_URLS_ENV} and
         * {@value #POOLER_ENV} (optional) from {@code environment} into this builder.
         *
         * @param environment variable names to values; null is refused with a {@link ConfigurationException}
         * @return this builder
         * @throws ConfigurationException naming the variable that is missing or invalid (never its password)
         */
        public Builder fromEnvironment(Map<String, String> environment) {
            if (environment == null) {
                throw new ConfigurationException("environment", "environment must be a map of variables, was null");
            }
            String primary = environment.get(DATABASE_URL_ENV);
            if (primary == null || primary.isBlank()) {
                throw new ConfigurationException(DATABASE_URL_ENV, DATABASE_URL_ENV + " is not set; expected " + URL_FORMS);
            }
            url(parse(DATABASE_URL_ENV, primary));
            String pool = environment.get(POOL_SIZE_ENV);
            if (pool != null && !pool.isBlank()) {
                int size;
                try {
                    size = Integer.parseInt(pool.trim());
                } catch (NumberFormatException e) {
                    throw new ConfigurationException(POOL_SIZE_ENV, POOL_SIZE_ENV
                            + " must be a whole number between 1 and 500, was '" + pool + "'", e);
                }
                if (size < 1 || size > 500) {
                    throw new ConfigurationException(POOL_SIZE_ENV, POOL_SIZE_ENV + " must be between 1 and 500, was " + size);
                }
                maximumPoolSize(size);
            }
            String pooler = environment.get(POOLER_ENV);
            if (pooler != null && !pooler.isBlank()) {
                pooler(Pooler.parse(POOLER_ENV, pooler));
            }
            String replicas = environment.get(READ_URLS_ENV);
            if (replicas != null && !replicas.isBlank()) {
                // A URL may list hosts with commas itself: a new entry starts where a scheme (or another comma) follows.
                String[] each = replicas.split(",(?=[^,]*://|,)");
                for (int i = 0; i < each.length; i++) {
                    if (each[i].isBlank()) {
                        throw new ConfigurationException(READ_URLS_ENV, READ_URLS_ENV + " entry " + (i + 1) + " of "
                                + each.length + " is empty; expected URLs separated by single commas");
                    }
                    readReplica(parse(READ_URLS_ENV + " entry " + (i + 1), each[i]));
                }
            }
            return this;
        }

        // The variable's own name in the message: the URL itself may hold a password, so it is not repeated.
        private static DatabaseUrl parse(String variable, String value) {
            try {
                return DatabaseUrl.parse(value);
            } catch (DatabaseUrl.InvalidDatabaseUrlException e) {
                String setting = variable.startsWith(READ_URLS_ENV) ? READ_URLS_ENV : variable;
                if (setting.equals("readReplica")) {
                    throw new ConfigurationException(setting, "readReplica: " + e.getMessage(), e);
                }
                throw new ConfigurationException(setting, variable + ": " + e.getMessage(), e);
            }
        }

        /**
         * The primary's address: {@code postgresql://user:pass@host:port/db} or {@code jdbc:postgresql://host:port/db?user=..};
         * the library creates and owns a HikariCP pool for it. Either this or {@link #dataSource(DataSource)}.
         *
         * @param url the URL in either form; null or blank is refused
         * @return this builder
         * @throws ConfigurationException (setting {@code url}) when it cannot be parsed
         */
        public Builder url(String url) {
            this.url = DatabaseUrl.parse(url);
            return this;
        }

        /**
         * Like {@link #url(String)}.
         *
         * @param url the parsed URL; null is refused with a {@link ConfigurationException}
         * @return this builder
         */
        public Builder url(DatabaseUrl url) {
            this.url = required("url", url);
            return this;
        }

        /**
         * The caller's own pool for the primary, instead of {@link #url(String)}: the library borrows connections
         * and never closes it. The schema check and every other setting apply as for a URL.
         *
         * @param dataSource the caller's pool; null is refused with a {@link ConfigurationException}
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = required("dataSource", dataSource);
            return this;
        }

        /**
         * Overrides the user and password of the URL (either may be null to keep the URL's).
         *
         * @param user the user name, or null to keep the URL's
         * @param password the password, or null to keep the URL's
         * @return this builder
         * @throws ConfigurationException (setting {@code credentials}) when no URL has been set yet
         */
        public Builder credentials(String user, String password) {
            if (url == null) {
                throw new ConfigurationException("credentials", "credentials need a URL: call url(...) first");
            }
            this.url = url.withCredentials(user, password);
            return this;
        }

        /**
         * Failed logins in a row that lock an account, 1..100; default 5.
         *
         * @param attempts failed logins in a row; outside 1..100 is refused by {@link #build()}
         * @return this builder
         */
        public Builder maxFailedLogins(int attempts) {
            this.maxFailedLogins = attempts;
            return this;
        }

        /**
         * How long a lock lasts, 1 s..3650 days; default 30 minutes.
         *
         * @param duration the lock's length; null or out of range is refused by {@link #build()}
         * @return this builder
         */
        public Builder lockDuration(Duration duration) {
            this.lockDuration = duration;
            return this;
        }

        /**
         * Lifetime of a session after issue or rotation, 1 min..3650 days; default 7 days.
         *
         * @param lifetime the session's lifetime; null or out of range is refused by {@link #build()}
         * @return this builder
         */
        public Builder sessionLifetime(Duration lifetime) {
            this.sessionLifetime = lifetime;
            return this;
        }

        /**
         * Adds a streaming replica for reads (either URL form); the library creates a pool for each.
         *
         * @param url the replica's URL in either form
         * @return this builder
         * @throws ConfigurationException (setting {@code readReplica}) when it cannot be parsed
         */
        public Builder readReplica(String url) {
            this.readReplicaUrls.add(parse("readReplica", url));
            return this;
        }

        /**
         * Adds a streaming replica for reads; the library creates a pool for it.
         *
         * @param url the replica's parsed URL; null is refused with a {@link ConfigurationException}
         * @return this builder
         */
        public Builder readReplica(DatabaseUrl url) {
            this.readReplicaUrls.add(required("readReplica", url));
            return this;
        }

        /**
         * Adds a streaming replica for reads that the caller pools (and closes) itself.
         *
         * @param dataSource the caller's replica pool; null is refused with a {@link ConfigurationException}
         * @return this builder
         */
        public Builder readReplica(DataSource dataSource) {
            this.readReplicaDataSources.add(required("readReplica", dataSource));
            return this;
        }

        /**
         * Replay lag a replica may have for reads with no earlier write, 0..1 h; default 1 s.
         *
         * @param lag the allowed replay lag; null or out of range is refused by {@link #build()}
         * @return this builder
         */
        public Builder maxReplicaLag(Duration lag) {
            this.maxReplicaLag = lag;
            return this;
        }

        /**
         * Pool size, 1..500; default 10.
         *
         * @param size connections per pool; outside 1..500 is refused by {@link #build()}
         * @return this builder
         */
        public Builder maximumPoolSize(int size) {
            this.maximumPoolSize = size;
            return this;
        }

        /**
         * Idle connections kept, 0..maximumPoolSize; default equal to the pool size (a fixed pool, as HikariCP advises).
         *
         * @param idle idle connections to keep; above the pool size is refused by {@link #build()}
         * @return this builder
         */
        public Builder minimumIdle(int idle) {
            this.minimumIdle = idle;
            return this;
        }

        /**
         * How long a caller waits for a pooled connection, at least 250 ms; default 10 s.
         *
         * @param timeout the wait; null or under 250 ms is refused by {@link #build()}
         * @return this builder
         */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * How long an idle connection above {@link #minimumIdle(int)} is kept, zero (forever) or more; default 10 min.
         *
         * @param timeout the idle time; null or negative is refused by {@link #build()}
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * How long a pooled connection lives, zero (no limit) or at least 30 s; default 30 min.
         *
         * @param lifetime the lifetime; null, negative or between 0 and 30 s is refused by {@link #build()}
         * @return this builder
         */
        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = lifetime;
            return this;
        }

        /**
         * How often each idle connection is checked in the background, zero (never) or at least 30 s and shorter
         * than {@link #maxLifetime(Duration)}; default 30 s.
         *
         * @param interval the interval; null, negative, or between 0 and 30 s is refused by {@link #build()}
         * @return this builder
         */
        public Builder keepaliveTime(Duration interval) {
            this.keepaliveTime = interval;
            return this;
        }

        /**
         * How long after its last contact with the server a connection is lent without a validation round trip;
         * zero for HikariCP's own check of every connection idle over 500 ms; default 25 s. With a keepalive it must
         * be shorter than 90% of {@link #keepaliveTime(Duration)}, so the keepalive's own check always reaches the
         * server (HikariCP runs it up to 10% early).
         *
         * @param window the window; null, negative, or too long for the keepalive is refused by {@link #build()}
         * @return this builder
         */
        public Builder validationBypassWindow(Duration window) {
            this.validationBypassWindow = window;
            return this;
        }

        /**
         * Longest a statement may run; {@link Duration#ZERO} disables it; default 30 s. Applied by the server
         * ({@code statement_timeout}) or, behind a transaction-pooling PgBouncer, by the driver: see {@link #pooler}.
         * @param timeout the limit, or zero for none; null or negative is refused by {@link #build()}
         * @return this builder
         */
        public Builder statementTimeout(Duration timeout) {
            this.statementTimeout = timeout;
            return this;
        }

        /**
         * What sits between the library and PostgreSQL; default {@link Pooler#NONE}. Behind a transaction-pooling
         * PgBouncer set {@link Pooler#TRANSACTION}: the library then sends no {@code options} startup parameter
         * (which PgBouncer rejects), keeps no server-side prepared statements ({@code prepareThreshold=0}) and applies
         * {@link #statementTimeout(Duration)} as the driver's query timeout on every statement.
         * <pre>{@code
         * ResumeReviewDbConfig.builder().url("postgresql://app:secret@pgbouncer:6432/ai_resume_review")
         *         .pooler(Pooler.TRANSACTION)
         *         .build();
         * }</pre>
         * With {@link #dataSource(DataSource)} the library cannot change the caller's pool: its connections must
         * already have {@code prepareThreshold=0} (checked at start-up) and no {@code options} parameter.
         * @param pooler what sits in front of the server; null is refused by {@link #build()}
         * @return this builder
         */
        public Builder pooler(Pooler pooler) {
            this.pooler = pooler;
            return this;
        }

        /**
         * Shown in {@code pg_stat_activity.application_name}, 1..63 characters; default {@code resume-review-db}.
         *
         * @param name the name; null, blank or over 63 characters is refused by {@link #build()}
         * @return this builder
         */
        public Builder applicationName(String name) {
            this.applicationName = name;
            return this;
        }

        /**
         * Start-up drift check mode; default {@link SchemaCheck#WARN}.
         *
         * @param mode the mode; null is refused by {@link #build()}
         * @return this builder
         */
        public Builder schemaCheck(SchemaCheck mode) {
            this.schemaCheck = mode;
            return this;
        }

        /**
         * Tunes every HikariCP pool the library creates, after the library's own settings (so it can override them):
         * <pre>{@code
         * .poolCustomizer(hikari -> {
         *     hikari.setLeakDetectionThreshold(60_000);
         *     hikari.addDataSourceProperty("tcpKeepAlive", "true");
         * })
         * }</pre>
         *
         * @param customizer called with each pool's {@code HikariConfig}; null is refused with a
         *                   {@link ConfigurationException}
         * @return this builder
         */
        public Builder poolCustomizer(Consumer<HikariConfig> customizer) {
            this.poolCustomizer = required("poolCustomizer", customizer);
            return this;
        }

        /**
         * Records metrics in this Micrometer {@code io.micrometer.core.instrument.MeterRegistry}: HikariCP's pool
         * metrics for every pool the library creates, a timer per repository operation and counters for constraint
         * violations and unavailability (names in the README). Typed {@code Object}, like HikariCP's
         * {@code setMetricRegistry}, so that services without Micrometer need not have it on the classpath.
         *
         * @param registry a Micrometer {@code MeterRegistry}; null is refused
         * @return this builder
         * @throws ConfigurationException when it is not a MeterRegistry, or Micrometer is missing
         */
        public Builder meterRegistry(Object registry) {
            Object given = required("meterRegistry", registry);
            try {
                this.meterRegistry = com.airesumereview.db.internal.MicrometerMetrics.requireRegistry(given);
            } catch (LinkageError micrometerMissing) {
                throw new ConfigurationException("meterRegistry", "meterRegistry needs Micrometer on the classpath"
                        + " (io.micrometer:micrometer-core), which is missing", micrometerMissing);
            }
            return this;
        }

        /**
         * Runs the library inside the service's Spring transactions: every repository call in a {@code @Transactional}
         * method (or a {@code TransactionTemplate}) joins that transaction, operations of several statements run in
         * it rather than committing on their own, and {@link ResumeReviewDb#inTransaction} becomes a savepoint
         * ({@code PROPAGATION_NESTED}). Give the {@code org.springframework.transaction.PlatformTransactionManager}
         * that manages {@link #dataSource(DataSource)} (a {@code DataSourceTransactionManager} or
         * {@code JdbcTransactionManager}); Spring Boot's auto-configuration does this for you. Typed {@code Object},
         * like {@link #meterRegistry(Object)}, so that services without Spring need not have it.
         *
         * @param manager a Spring {@code PlatformTransactionManager}; null is refused; {@link #build()} then needs
         *                {@link #dataSource(DataSource)}
         * @return this builder
         * @throws ConfigurationException when it is not a PlatformTransactionManager, or Spring is missing
         */
        public Builder transactionManager(Object manager) {
            Object given = required("transactionManager", manager);
            boolean valid;
            try {
                valid = com.airesumereview.db.internal.SpringTransactions.isTransactionManager(given);
            } catch (LinkageError springMissing) {
                throw new ConfigurationException("transactionManager", "transactionManager needs Spring on the"
                        + " classpath (org.springframework:spring-jdbc and spring-tx), which is missing", springMissing);
            }
            if (!valid) {
                throw new ConfigurationException("transactionManager", "transactionManager must be a Spring"
                        + " PlatformTransactionManager, was " + given.getClass().getName());
            }
            this.transactionManager = given;
            return this;
        }

        private static <T> T required(String setting, T value) {
            if (value == null) {
                throw new ConfigurationException(setting, setting + " must not be null");
            }
            return value;
        }

        /**
         * Validates and builds.
         *
         * @return the immutable config
         * @throws ConfigurationException naming the first setting that is wrong and the allowed values
         */
        public ResumeReviewDbConfig build() {
            if (url == null && dataSource == null) {
                throw new ConfigurationException("url", "url is required: set url(...) (or " + DATABASE_URL_ENV
                        + ") to " + URL_FORMS + ", or dataSource(...) to use your own pool");
            }
            if (transactionManager != null && dataSource == null) {
                throw new ConfigurationException("transactionManager", "transactionManager needs dataSource(...): the"
                        + " library joins the transactions of the data source that manager manages, not a pool of its own");
            }
            if (url != null && dataSource != null) {
                throw new ConfigurationException("dataSource", "dataSource and url are both set; set one of them:"
                        + " url(...) for a pool the library creates, dataSource(...) for your own");
            }
            check("maximumPoolSize", maximumPoolSize >= 1 && maximumPoolSize <= 500,
                    "must be between 1 and 500, was " + maximumPoolSize);
            check("minimumIdle", minimumIdle <= maximumPoolSize,
                    "must be at most maximumPoolSize (" + maximumPoolSize + "), was " + minimumIdle);
            check("connectionTimeout", connectionTimeout != null && connectionTimeout.toMillis() >= 250,
                    "must be at least 250 ms, was " + connectionTimeout);
            check("idleTimeout", idleTimeout != null && !idleTimeout.isNegative(),
                    "must be zero or positive, was " + idleTimeout);
            check("maxLifetime", maxLifetime != null && (maxLifetime.isZero() || maxLifetime.toMillis() >= 30_000),
                    "must be 0 (no limit) or at least 30 s, was " + maxLifetime);
            check("keepaliveTime", keepaliveTime != null && (keepaliveTime.isZero() || keepaliveTime.toMillis() >= 30_000
                    && (maxLifetime.isZero() || keepaliveTime.compareTo(maxLifetime) < 0)),
                    "must be 0 (off) or at least 30 s and shorter than maxLifetime (" + maxLifetime + "), was "
                            + keepaliveTime);
            check("validationBypassWindow", validationBypassWindow != null && !validationBypassWindow.isNegative()
                    && (keepaliveTime.isZero() || validationBypassWindow.toMillis() * 10 < keepaliveTime.toMillis() * 9),
                    "must be zero (HikariCP's checks) or positive and shorter than 90% of keepaliveTime ("
                            + keepaliveTime + "), so the keepalive's check reaches the server; was "
                            + validationBypassWindow);
            check("statementTimeout", statementTimeout != null && !statementTimeout.isNegative(),
                    "must be zero (off) or positive, was " + statementTimeout);
            check("pooler", pooler != null, "must be NONE, SESSION or TRANSACTION, was null");
            check("applicationName", applicationName != null && !applicationName.isBlank() && applicationName.length() <= 63,
                    "must be 1..63 characters, was " + (applicationName == null ? "null" : applicationName.length() + " characters"));
            check("schemaCheck", schemaCheck != null, "must be OFF, WARN or FAIL, was null");
            check("maxFailedLogins", maxFailedLogins >= 1 && maxFailedLogins <= 100,
                    "must be between 1 and 100, was " + maxFailedLogins);
            check("lockDuration", lockDuration != null && lockDuration.toSeconds() >= 1 && lockDuration.toDays() <= 3650,
                    "must be between 1 s and 3650 days, was " + lockDuration);
            check("sessionLifetime", sessionLifetime != null && sessionLifetime.toMinutes() >= 1
                    && sessionLifetime.toDays() <= 3650, "must be between 1 minute and 3650 days, was " + sessionLifetime);
            check("maxReplicaLag", maxReplicaLag != null && !maxReplicaLag.isNegative()
                    && maxReplicaLag.compareTo(Duration.ofHours(1)) <= 0, "must be between 0 and 1 hour, was " + maxReplicaLag);
            return new ResumeReviewDbConfig(this);
        }

        private static void check(String setting, boolean valid, String rule) {
            if (!valid) {
                throw new ConfigurationException(setting, setting + " " + rule);
            }
        }
    }
}
