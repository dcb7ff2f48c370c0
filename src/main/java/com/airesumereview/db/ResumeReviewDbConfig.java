package com.airesumereview.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** Failed logins in a row that lock an account in the running Python service. */
    public static final int DEFAULT_MAX_FAILED_LOGINS = 5;
    /** How long the running Python service locks an account. */
    public static final Duration DEFAULT_LOCK_DURATION = Duration.ofMinutes(30);
    /** Lifetime of a session after issue or rotation in the running Python service. */
    public static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofDays(7);

    private final DatabaseUrl url;
    private final int maximumPoolSize;
    private final int minimumIdle;
    private final Duration connectionTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration statementTimeout;
    private final String applicationName;
    private final SchemaCheck schemaCheck;
    private final int maxFailedLogins;
    private final Duration lockDuration;
    private final Duration sessionLifetime;
    private final List<DatabaseUrl> readReplicaUrls;
    private final Duration maxReplicaLag;

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
        this.maxFailedLogins = b.maxFailedLogins;
        this.lockDuration = b.lockDuration;
        this.sessionLifetime = b.sessionLifetime;
        this.readReplicaUrls = List.copyOf(b.readReplicaUrls);
        this.maxReplicaLag = b.maxReplicaLag;
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

    /** Failed logins in a row that lock an account; default 5, as the Python service. */
    public int maxFailedLogins() {
        return maxFailedLogins;
    }

    /** How long an account stays locked after {@link #maxFailedLogins()} failures; default 30 minutes. */
    public Duration lockDuration() {
        return lockDuration;
    }

    /** How long a session (refresh token) lives after its issue or last rotation; default 7 days. */
    public Duration sessionLifetime() {
        return sessionLifetime;
    }

    /** Streaming replicas that serve reads; empty (the default) means every statement runs on the primary. */
    public List<DatabaseUrl> readReplicaUrls() {
        return readReplicaUrls;
    }

    /** Replay lag a replica may have to serve a read with no earlier write of the caller; default 1 s. */
    public Duration maxReplicaLag() {
        return maxReplicaLag;
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
        private int maxFailedLogins = DEFAULT_MAX_FAILED_LOGINS;
        private Duration lockDuration = DEFAULT_LOCK_DURATION;
        private Duration sessionLifetime = DEFAULT_SESSION_LIFETIME;
        private final List<DatabaseUrl> readReplicaUrls = new ArrayList<>();
        private Duration maxReplicaLag = Duration.ofSeconds(1);

        private Builder() {
        }

        /** Failed logins in a row that lock an account, 1..100; default 5. */
        public Builder maxFailedLogins(int attempts) {
            this.maxFailedLogins = attempts;
            return this;
        }

        /** How long a lock lasts, 1 s..3650 days; default 30 minutes. */
        public Builder lockDuration(Duration duration) {
            this.lockDuration = duration;
            return this;
        }

        /** Lifetime of a session after issue or rotation, 1 min..3650 days; default 7 days. */
        public Builder sessionLifetime(Duration lifetime) {
            this.sessionLifetime = lifetime;
            return this;
        }

        /** Adds a streaming replica for reads (either URL form); each gets its own pool. */
        public Builder readReplica(String url) {
            this.readReplicaUrls.add(DatabaseUrl.parse(url));
            return this;
        }

        /** Adds a streaming replica for reads. */
        public Builder readReplica(DatabaseUrl url) {
            this.readReplicaUrls.add(Objects.requireNonNull(url, "readReplica"));
            return this;
        }

        /** Replay lag a replica may have for reads with no earlier write, 0..1 h; default 1 s. */
        public Builder maxReplicaLag(Duration lag) {
            this.maxReplicaLag = lag;
            return this;
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
            if (maxFailedLogins < 1 || maxFailedLogins > 100) {
                throw new ResumeReviewDbException("maxFailedLogins must be between 1 and 100, was " + maxFailedLogins);
            }
            if (lockDuration == null || lockDuration.toSeconds() < 1 || lockDuration.toDays() > 3650) {
                throw new ResumeReviewDbException("lockDuration must be between 1 s and 3650 days, was " + lockDuration);
            }
            if (sessionLifetime == null || sessionLifetime.toMinutes() < 1 || sessionLifetime.toDays() > 3650) {
                throw new ResumeReviewDbException("sessionLifetime must be between 1 minute and 3650 days, was "
                        + sessionLifetime);
            }
            if (maxReplicaLag == null || maxReplicaLag.isNegative() || maxReplicaLag.toHours() > 1) {
                throw new ResumeReviewDbException("maxReplicaLag must be between 0 and 1 hour, was " + maxReplicaLag);
            }
            return new ResumeReviewDbConfig(this);
        }
    }
}
