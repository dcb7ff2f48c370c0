package com.airesumereview.db;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection settings for {@link ResumeReviewDb}, validated when built: a wrong value fails at start-up
 * with a message naming the setting.
 * <pre>{@code
 * ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
 *         .url("postgresql://app:secret@db:5432/ai_resume_review")   // or jdbc:postgresql://...
 *         .maximumPoolSize(20)
 *         .build();
 * }</pre>
 * Defaults: pool of 10 connections, 10 s to get a connection, 10 min idle timeout, 30 min maximum
 * lifetime, statement timeout 30 s (so a stuck query cannot hold a pooled connection forever).
 */
public final class ResumeReviewDbConfig {
    /** Environment variable read by {@link #fromEnvironment()}. */
    public static final String DATABASE_URL_ENV = "DATABASE_URL";
    /** Optional environment variable for {@link Builder#maximumPoolSize(int)}. */
    public static final String POOL_SIZE_ENV = "DATABASE_POOL_SIZE";

    private final DatabaseUrl url;
    private final int maximumPoolSize;
    private final int minimumIdle;
    private final Duration connectionTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration statementTimeout;
    private final String applicationName;
    private final SchemaCheck schemaCheck;

    private ResumeReviewDbConfig(Builder b) {
        this.url = b.url;
        this.maximumPoolSize = b.maximumPoolSize;
        this.minimumIdle = b.minimumIdle < 0 ? b.maximumPoolSize : b.minimumIdle;
        this.connectionTimeout = b.connectionTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.statementTimeout = b.statementTimeout;
        this.applicationName = b.applicationName;
        this.schemaCheck = b.schemaCheck;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@value #DATABASE_URL_ENV} (either URL form) and, if set, {@value #POOL_SIZE_ENV}.
     *
     * @throws ResumeReviewDbException naming the variable when it is missing or invalid
     */
    public static ResumeReviewDbConfig fromEnvironment() {
        String url = System.getenv(DATABASE_URL_ENV);
        if (url == null || url.isBlank()) {
            throw new ResumeReviewDbException(DATABASE_URL_ENV + " is not set; expected"
                    + " postgresql://user:password@host:5432/database or jdbc:postgresql://host:5432/database");
        }
        Builder b = builder().url(url);
        String pool = System.getenv(POOL_SIZE_ENV);
        if (pool != null && !pool.isBlank()) {
            try {
                b.maximumPoolSize(Integer.parseInt(pool.trim()));
            } catch (NumberFormatException e) {
                throw new ResumeReviewDbException(POOL_SIZE_ENV + " must be a whole number, was '" + pool + "'");
            }
        }
        return b.build();
    }

    public DatabaseUrl url() {
        return url;
    }

    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    public int minimumIdle() {
        return minimumIdle;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    public String applicationName() {
        return applicationName;
    }

    /** What to do at start-up about drift between the live database and the bundled snapshot. */
    public SchemaCheck schemaCheck() {
        return schemaCheck;
    }

    @Override
    public String toString() {
        return "ResumeReviewDbConfig[url=" + url + ", maximumPoolSize=" + maximumPoolSize + ", schemaCheck=" + schemaCheck + "]";
    }

    /** Builds a {@link ResumeReviewDbConfig}; {@link #build()} validates every setting. */
    public static final class Builder {
        private DatabaseUrl url;
        private int maximumPoolSize = 10;
        private int minimumIdle = -1;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration statementTimeout = Duration.ofSeconds(30);
        private String applicationName = "resume-review-db";
        private SchemaCheck schemaCheck = SchemaCheck.WARN;

        private Builder() {
        }

        /** {@code postgresql://user:pass@host:port/db} or {@code jdbc:postgresql://host:port/db?user=..}. */
        public Builder url(String url) {
            this.url = DatabaseUrl.parse(url);
            return this;
        }

        public Builder url(DatabaseUrl url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /** Overrides the user and password of the URL (either may be null to keep the URL's). */
        public Builder credentials(String user, String password) {
            if (url == null) {
                throw new ResumeReviewDbException("credentials: set url(...) first");
            }
            this.url = url.withCredentials(user, password);
            return this;
        }

        /** Pool size, 1..500; default 10. */
        public Builder maximumPoolSize(int size) {
            this.maximumPoolSize = size;
            return this;
        }

        /** Idle connections kept, 0..maximumPoolSize; default equal to the pool size (a fixed pool, as HikariCP advises). */
        public Builder minimumIdle(int idle) {
            this.minimumIdle = idle;
            return this;
        }

        /** How long a caller waits for a pooled connection, at least 250 ms; default 10 s. */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = lifetime;
            return this;
        }

        /** Server-side statement timeout; {@link Duration#ZERO} disables it; default 30 s. */
        public Builder statementTimeout(Duration timeout) {
            this.statementTimeout = timeout;
            return this;
        }

        /** Shown in {@code pg_stat_activity.application_name}; default {@code resume-review-db}. */
        public Builder applicationName(String name) {
            this.applicationName = name;
            return this;
        }

        /** Start-up drift check mode; default {@link SchemaCheck#WARN}. */
        public Builder schemaCheck(SchemaCheck mode) {
            this.schemaCheck = mode;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ResumeReviewDbException naming the first setting that is wrong and the allowed values
         */
        public ResumeReviewDbConfig build() {
            if (url == null) {
                throw new ResumeReviewDbException("url is required: set url(...) or " + DATABASE_URL_ENV);
            }
            if (maximumPoolSize < 1 || maximumPoolSize > 500) {
                throw new ResumeReviewDbException("maximumPoolSize must be between 1 and 500, was " + maximumPoolSize);
            }
            if (minimumIdle > maximumPoolSize) {
                throw new ResumeReviewDbException("minimumIdle must be at most maximumPoolSize (" + maximumPoolSize
                        + "), was " + minimumIdle);
            }
            if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
                throw new ResumeReviewDbException("connectionTimeout must be at least 250 ms, was " + connectionTimeout);
            }
            if (idleTimeout == null || idleTimeout.isNegative()) {
                throw new ResumeReviewDbException("idleTimeout must be zero or positive, was " + idleTimeout);
            }
            if (maxLifetime == null || (!maxLifetime.isZero() && maxLifetime.toMillis() < 30_000)) {
                throw new ResumeReviewDbException("maxLifetime must be 0 (no limit) or at least 30 s, was " + maxLifetime);
            }
            if (statementTimeout == null || statementTimeout.isNegative()) {
                throw new ResumeReviewDbException("statementTimeout must be zero (off) or positive, was " + statementTimeout);
            }
            if (applicationName == null || applicationName.isBlank() || applicationName.length() > 63) {
                throw new ResumeReviewDbException("applicationName must be 1..63 characters");
            }
            if (schemaCheck == null) {
                throw new ResumeReviewDbException("schemaCheck must be OFF, WARN or FAIL");
            }
            return new ResumeReviewDbConfig(this);
        }
    }
}
