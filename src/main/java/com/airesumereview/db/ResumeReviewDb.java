package com.airesumereview.db;

import com.airesumereview.db.audit.AuditEngine;
import com.airesumereview.db.audit.AuditProgress;
import com.airesumereview.db.audit.AuditReport;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.OperationObserver;
import com.airesumereview.db.repository.AnalysisRepository;
import com.airesumereview.db.repository.ConstraintTranslator;
import com.airesumereview.db.repository.FileUploadRepository;
import com.airesumereview.db.repository.PromptRepository;
import com.airesumereview.db.repository.RefreshTokenRepository;
import com.airesumereview.db.repository.RowMappings;
import com.airesumereview.db.repository.SchemaMigrationRepository;
import com.airesumereview.db.repository.UserRepository;
import com.airesumereview.db.verification.SchemaVerifier;
import com.airesumereview.db.verification.VerificationReport;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: one per service, created at start-up, closed at shut-down. It hands out the
 * repositories, runs work in transactions and owns the connection pool (HikariCP) when it created it.
 *
 * <pre>{@code
 * try (ResumeReviewDb db = ResumeReviewDb.connect(System.getenv("DATABASE_URL"))) {
 *     User user = db.users().create(new NewUser("Ada@Example.com", passwordHash, "Ada", "Lovelace", UserRole.CONSULTANT));
 *     db.inTransaction(tx -> {
 *         FileUpload upload = tx.fileUploads().create(...);          // both calls share one transaction
 *         tx.fileUploads().startValidating(upload.id());
 *         return upload;
 *     });
 * }
 * }</pre>
 *
 * <p>Every repository call made inside {@link #inTransaction} on the same thread joins that transaction,
 * whether it goes through the lambda's argument or through this object; a nested {@code inTransaction}
 * becomes a savepoint. Outside a transaction each call is atomic on its own. The library never issues
 * DDL: it reads and writes rows of the existing tables only.
 *
 * <h2>Schema check at start-up</h2>
 * {@link #connect(ResumeReviewDbConfig)} compares the live database with the snapshot the code was generated from
 * (read-only, one connection, {@link #verifySchema()}) as {@link ResumeReviewDbConfig#schemaCheck()} says:
 * {@link SchemaCheck#OFF} skips it; {@link SchemaCheck#WARN} (the default) logs the report and starts;
 * {@link SchemaCheck#FAIL} throws {@link SchemaDriftException} when a difference is breaking. The default is WARN
 * because production's structure is owned by another service: a column someone added, or a changed comment,
 * must not take this service down, while a breaking change shows up in the log at the first start rather than
 * as a failing query hours later. Services that would rather not start against a broken schema choose FAIL.
 * {@link #create(DataSource)} never checks on its own (the caller owns that pool and its start-up); call
 * {@link #verifySchema()} when wanted.
 */
public final class ResumeReviewDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeReviewDb.class);

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final DSLContext dsl;
    private final Database database;
    private final UserRepository users;
    private final RefreshTokenRepository refreshTokens;
    private final FileUploadRepository fileUploads;
    private final AnalysisRepository analyses;
    private final PromptRepository prompts;
    private final SchemaMigrationRepository schemaMigrations;

    private ResumeReviewDb(DataSource dataSource, HikariDataSource ownedPool, ExecuteListener... listeners) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.dsl = DSL.using(configuration(dataSource, listeners));
        this.database = new Database(dsl, null, OperationObserver.NONE);
        this.users = new UserRepository(dsl);
        this.refreshTokens = new RefreshTokenRepository(dsl);
        this.fileUploads = new FileUploadRepository(database);
        this.analyses = new AnalysisRepository(database);
        this.prompts = new PromptRepository(database);
        this.schemaMigrations = new SchemaMigrationRepository(database);
    }

    /**
     * Uses a {@link DataSource} the caller owns (and closes); typically the service's own pool. Runs no schema
     * check: call {@link #verifySchema()} if the service wants one.
     */
    public static ResumeReviewDb create(DataSource dataSource) {
        return new ResumeReviewDb(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /**
     * Like {@link #create(DataSource)}, with jOOQ listeners that see every statement the repositories run
     * (for metrics, tracing or query logging). Listeners must not log bind values: they hold emails and hashes.
     */
    public static ResumeReviewDb create(DataSource dataSource, ExecuteListener... listeners) {
        return new ResumeReviewDb(Objects.requireNonNull(dataSource, "dataSource"), null, listeners);
    }

    /** Creates a pool for {@code url} (either form, see {@link DatabaseUrl}) with the default settings. */
    public static ResumeReviewDb connect(String url) {
        return connect(ResumeReviewDbConfig.builder().url(url).build());
    }

    /** Reads {@code DATABASE_URL} (and {@code DATABASE_POOL_SIZE}) from the environment. */
    public static ResumeReviewDb fromEnvironment() {
        return connect(ResumeReviewDbConfig.fromEnvironment());
    }

    /**
     * Creates a HikariCP pool from {@code config} and runs the schema check {@code config.schemaCheck()} asks for
     * (see the class comment). Fails fast, naming the server (never the password), when the database cannot be
     * reached.
     *
     * @throws SchemaDriftException with {@link SchemaCheck#FAIL} when a difference is breaking; the pool is closed
     */
    public static ResumeReviewDb connect(ResumeReviewDbConfig config) {
        HikariDataSource pool = pool(config);
        try {
            ResumeReviewDb db = new ResumeReviewDb(pool, pool);
            StartupSchemaCheck.run(config.schemaCheck(), db::verifySchema, LOG);
            return db;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Compares the live database with the snapshot the code was generated from, through one connection of this
     * object's data source, used read-only and rolled back. Takes a few hundred milliseconds; meant for start-up
     * and health endpoints, not for every request.
     * <pre>{@code
     * VerificationReport report = db.verifySchema();
     * if (report.verdict() == Verdict.BREAKING) { ... report.render() ... }
     * }</pre>
     */
    public VerificationReport verifySchema() {
        return SchemaVerifier.againstBundledSnapshot().verify(dataSource);
    }

    /** The longest {@link #health(Duration)} accepts: a readiness probe that waits longer is not one. */
    private static final Duration MAX_HEALTH_TIMEOUT = Duration.ofMinutes(1);

    /**
     * A cheap readiness check for a service's health endpoint, like the Python service's: {@code SELECT 1} on one
     * connection from this object's pool, given up after {@code timeout}. Never throws for "down": a pool that
     * cannot hand out a connection in time, a server that refuses or drops it, or an answer later than
     * {@code timeout} all return {@link Health#up()} false with the reason. The check runs on its own short-lived
     * daemon thread, so the caller waits at most {@code timeout}; a call inside {@link #inTransaction} uses another
     * connection and does not touch that transaction.
     * <pre>{@code
     * Health h = db.health(Duration.ofSeconds(2));   // e.g. up=true, latency=PT0.0012S
     * }</pre>
     *
     * @param timeout 1 ms .. 1 minute
     * @throws ValidationException when {@code timeout} is missing or out of range (the only exception)
     */
    public Health health(Duration timeout) {
        if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(MAX_HEALTH_TIMEOUT) > 0) {
            throw new ValidationException("timeout", "must be between 1 ms and 1 minute", String.valueOf(timeout));
        }
        long start = System.nanoTime();
        int querySeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        FutureTask<Void> probe = new FutureTask<>(() -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.setQueryTimeout(querySeconds); // ends a hung statement even after we stopped waiting
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    if (!rs.next() || rs.getInt(1) != 1) {
                        throw new SQLException("SELECT 1 did not answer 1");
                    }
                }
            }
            return null;
        });
        Thread thread = new Thread(probe, "resume-review-db-health");
        thread.setDaemon(true);
        thread.start();
        try {
            probe.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Health.up(Duration.ofNanos(System.nanoTime() - start));
        } catch (TimeoutException e) {
            probe.cancel(true); // stops waiting for a pooled connection; a running SELECT ends by its query timeout
            return Health.down(Duration.ofNanos(System.nanoTime() - start),
                    "no answer to SELECT 1 within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Health.down(Duration.ofNanos(System.nanoTime() - start), describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probe.cancel(true);
            return Health.down(Duration.ofNanos(System.nanoTime() - start), "interrupted while waiting for SELECT 1");
        }
    }

    /** Type and first line of the message (pgJDBC and HikariCP messages carry no password). */
    private static String describe(Throwable t) {
        String message = t.getMessage() == null ? "no detail" : t.getMessage().strip().lines().findFirst().orElse("");
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return t.getClass().getSimpleName() + ": " + message;
    }

    /**
     * Reads every row of the eight mapped tables through the repositories' own mapping and reports the rows that
     * cannot be mapped (see {@link AuditEngine}): one connection of this object's data source, read-only, one
     * snapshot, streamed with a cursor, rolled back. Takes as long as reading the whole database; meant for a
     * check before go-live or after the other service changed, not for start-up.
     * <pre>{@code
     * AuditReport report = db.audit();
     * report.isClean();   // false: report.render() names each failed row's table, key and reason
     * }</pre>
     */
    public AuditReport audit() {
        return AuditEngine.withDefaults().audit(dataSource);
    }

    /** Like {@link #audit()}, telling {@code progress} every 100,000 rows of a table and when a table is done. */
    public AuditReport audit(Consumer<AuditProgress> progress) {
        return AuditEngine.builder().progress(progress).build().audit(dataSource);
    }

    private static HikariDataSource pool(ResumeReviewDbConfig config) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("resume-review-db");
        h.setJdbcUrl(config.url().jdbcUrl());
        if (config.url().user() != null) {
            h.setUsername(config.url().user());
        }
        if (config.url().password() != null) {
            h.setPassword(config.url().password());
        }
        h.setMaximumPoolSize(config.maximumPoolSize());
        h.setMinimumIdle(config.minimumIdle());
        h.setConnectionTimeout(config.connectionTimeout().toMillis());
        h.setIdleTimeout(config.idleTimeout().toMillis());
        h.setMaxLifetime(config.maxLifetime().toMillis());
        h.addDataSourceProperty("ApplicationName", config.applicationName());
        // Keep row values (emails, token hashes) out of exception messages and logs.
        h.addDataSourceProperty("logServerErrorDetail", "false");
        if (!config.statementTimeout().isZero()) {
            h.addDataSourceProperty("options", "-c statement_timeout=" + config.statementTimeout().toMillis());
        }
        try {
            return new HikariDataSource(h);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new ResumeReviewDbException("cannot connect to " + config.url().jdbcUrl() + ": "
                    + scrub(root.getMessage(), config.url().password()), null);
        }
    }

    private static String scrub(String message, String password) {
        if (message == null) {
            return "no detail";
        }
        return password == null || password.isEmpty() ? message : message.replace(password, "***");
    }

    private static Configuration configuration(DataSource dataSource, ExecuteListener... listeners) {
        ExecuteListener[] all = new ExecuteListener[listeners.length + 1];
        all[0] = new ConstraintTranslator();
        System.arraycopy(listeners, 0, all, 1, listeners.length);
        return new DefaultConfiguration()
                .set(SQLDialect.POSTGRES)
                .set(new UnavailabilityAwareTransactions(new UnavailabilityAwareConnections(dataSource)))
                .set(DefaultExecuteListenerProvider.providers(all))
                // The settings the row mappings are written for (e.g. 'infinity' timestamps read through pgJDBC).
                .set(RowMappings.settings());
    }

    /** Users ({@code users}). */
    public UserRepository users() {
        return users;
    }

    /** Refresh tokens / sessions ({@code refresh_tokens}). */
    public RefreshTokenRepository refreshTokens() {
        return refreshTokens;
    }

    /** Resume uploads and their processing pipeline ({@code file_uploads}). */
    public FileUploadRepository fileUploads() {
        return fileUploads;
    }

    /** Resume analyses: requests, the worker queue and results ({@code analysis_requests}, {@code analysis_results}). */
    public AnalysisRepository analyses() {
        return analyses;
    }

    /** Prompts and their use by analyses ({@code prompts}, {@code prompt_history}). */
    public PromptRepository prompts() {
        return prompts;
    }

    /** The legacy migration log of the Python service ({@code schema_migrations}), read-only. */
    public SchemaMigrationRepository schemaMigrations() {
        return schemaMigrations;
    }

    /**
     * Runs {@code work} in one transaction and returns its result. Commits when it returns, rolls back
     * when it throws (the exception propagates). Nested calls become savepoints.
     */
    public <T> T inTransaction(Function<ResumeReviewDb, T> work) {
        Objects.requireNonNull(work, "work");
        return database.inTransaction(() -> work.apply(this));
    }

    /** Like {@link #inTransaction(Function)} for work without a result. */
    public void useTransaction(Consumer<ResumeReviewDb> work) {
        Objects.requireNonNull(work, "work");
        database.inTransaction(() -> {
            work.accept(this);
            return null;
        });
    }

    /**
     * The jOOQ context behind the repositories, for queries the repositories do not offer, written with
     * the generated classes in {@code com.airesumereview.db.generated}. Queries run through it join
     * {@link #inTransaction} like repository calls.
     */
    public DSLContext dsl() {
        return dsl;
    }

    /** Closes the pool if this object created it; a caller's {@link DataSource} is left open. */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }
}
