package com.airesumereview.db;

import com.airesumereview.db.internal.Connections;
import com.airesumereview.db.internal.ConnectionSettings;
import com.airesumereview.db.internal.ClosableDataSource;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.LocalTransactions;
import com.airesumereview.db.internal.SpringTransactions;
import com.airesumereview.db.internal.Transactions;
import com.airesumereview.db.internal.LivenessDataSource;
import com.airesumereview.db.internal.MicrometerMetrics;
import com.airesumereview.db.internal.OperationObserver;
import com.airesumereview.db.internal.PrimaryLocator;
import com.airesumereview.db.internal.QuietJooq;
import com.airesumereview.db.internal.Secrets;
import com.airesumereview.db.internal.StartupSchemaCheck;
import com.airesumereview.db.internal.ReplicaRouter;
import com.airesumereview.db.internal.SqlFailures;
import com.airesumereview.db.repository.AnalysisRepository;
import com.airesumereview.db.repository.internal.PostgresAnalysisRepository;
import com.airesumereview.db.repository.internal.ConstraintTranslator;
import com.airesumereview.db.repository.FileUploadRepository;
import com.airesumereview.db.repository.internal.PostgresFileUploadRepository;
import com.airesumereview.db.repository.PromptRepository;
import com.airesumereview.db.repository.internal.PostgresPromptRepository;
import com.airesumereview.db.repository.RefreshTokenRepository;
import com.airesumereview.db.repository.internal.PostgresRefreshTokenRepository;
import com.airesumereview.db.repository.internal.RowMappings;
import com.airesumereview.db.repository.SchemaMigrationRepository;
import com.airesumereview.db.repository.internal.PostgresSchemaMigrationRepository;
import com.airesumereview.db.repository.UserRepository;
import com.airesumereview.db.repository.internal.PostgresUserRepository;
import com.airesumereview.db.verification.SchemaVerifier;
import com.airesumereview.db.verification.VerificationReport;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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
 *     User user = db.users().create(NewUser.builder().email("Ada@Example.com").passwordHash(bcryptHash)
 *             .firstName("Ada").lastName("Lovelace").role(UserRole.CONSULTANT).build());
 *     db.inTransaction(tx -> {
 *         FileUpload upload = tx.fileUploads().create(...);          // both calls share one transaction
 *         tx.fileUploads().startValidating(upload.id());
 *         return upload;
 *     });
 * }
 * }</pre>
 *
 * <h2>Transactions</h2>
 * There is one current transaction per thread, and every library call joins it: the one {@link #inTransaction}
 * began, one begun through jOOQ ({@code db.dsl().transaction(..)}, either form), or, with
 * {@link ResumeReviewDbConfig.Builder#transactionManager(Object) a Spring transaction manager} (Spring Boot's
 * auto-configuration sets it), Spring's {@code @Transactional} or {@code TransactionTemplate} transaction. A
 * nested {@code inTransaction} is a savepoint. An operation that needs several statements (e.g.
 * {@code refreshTokens().issue}) runs them inside the current transaction, or in a short one of its own when there
 * is none; the library never commits or rolls back a transaction it did not begin (a connection that arrives with
 * autocommit off is someone else's transaction, and is joined). Inside any transaction every statement runs on the
 * primary, and the replicas learn of a write only after its commit. The library never issues DDL: it reads and
 * writes rows of the existing tables only.
 *
 * <h2>Schema check at start-up</h2>
 * {@link #connect(ResumeReviewDbConfig)} compares the live database with the snapshot the code was generated from
 * (read-only, one connection, {@link #verifySchema()}) as {@link ResumeReviewDbConfig#schemaCheck()} says:
 * {@link SchemaCheck#OFF} skips it; {@link SchemaCheck#WARN} (the default) logs the report and starts;
 * {@link SchemaCheck#FAIL} throws {@link SchemaCheckFailedException} when a difference is breaking. The default is WARN
 * because production's structure is owned by another service: a column someone added, or a changed comment,
 * must not take this service down, while a breaking change shows up in the log at the first start rather than
 * as a failing query hours later. Services that would rather not start against a broken schema choose FAIL.
 * {@link #create(DataSource)} never checks on its own (the caller owns that pool and its start-up); call
 * {@link #verifySchema()} when wanted, or pass the data source through
 * {@code connect(ResumeReviewDbConfig.builder().dataSource(ds).schemaCheck(SchemaCheck.FAIL).build())}.
 *
 * <h2>Threads and life cycle</h2>
 * This object and its repositories are thread-safe, so one instance serves every thread of a service. Fields are
 * final and set in the constructor; what changes is each thread's own transaction (thread-bound), the closed
 * flag, the replica router's view of each replica (probed in the background) and the analysis queue's
 * low-water mark, each safe to share. After
 * {@link #close()} every call raises {@link DatabaseClosedException}.
 *
 * <h2>Read replicas</h2>
 * With streaming replicas ({@link ResumeReviewDbConfig.Builder#readReplica(String)} or
 * {@link #create(DataSource, DataSource...)}), reads outside a transaction run on a replica that has replayed the
 * calling thread's last write (or {@link #readingAfter a token's}) and lags at most
 * {@link ResumeReviewDbConfig#maxReplicaLag()}; writes, compare-and-sets, queue claims and everything inside
 * {@link #inTransaction} stay on the primary. Each repository method's Javadoc says where it runs.
 *
 * <h2>Failover</h2>
 * A pool this object creates from a URL connects only to the host that is a primary, among the URL's hosts
 * ({@code postgresql://u:p@db-1:5432,db-2:5432/db}) and the read replicas' hosts: after a promotion, writes reach the
 * new primary without a restart, and a host that claims to be a primary on an older timeline (an old primary back
 * after a failover) serves neither reads nor writes. {@link #health(Duration)} reports the hosts, the timeline and
 * the replication mode ({@link Topology}); {@code docs/failover.md} says what is caught and what is lost in which mode.
 */
public final class ResumeReviewDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeReviewDb.class);

    static {
        // Before jOOQ's first use: no banner, tip or version INFO line in the service's log.
        QuietJooq.apply();
    }

    private final ClosableDataSource dataSource;
    private final HikariDataSource ownedPool;
    /** Finds the primary among the configured hosts and refuses a stale one; null for a caller's plain data source. */
    private final PrimaryLocator locator;
    /** Where reads outside transactions go; null without replicas (every statement on the primary). */
    private final ReplicaRouter router;
    private final List<ReplicaRouter.Replica> replicas;
    private final DSLContext dsl;
    private final Database database;
    private final UserRepository users;
    private final RefreshTokenRepository refreshTokens;
    private final FileUploadRepository fileUploads;
    private final AnalysisRepository analyses;
    private final PromptRepository prompts;
    private final SchemaMigrationRepository schemaMigrations;

    /** The settings a ResumeReviewDb is built with, besides its data sources. */
    private record Settings(int maxFailedLogins, Duration lockDuration, Duration sessionLifetime, Duration maxReplicaLag,
                            OperationObserver observer, Object transactionManager, Duration clientStatementTimeout) {
        /** The configuration's defaults, for {@code create(...)} with a caller's data sources. */
        static Settings defaults() {
            return new Settings(ResumeReviewDbConfig.DEFAULT_MAX_FAILED_LOGINS, ResumeReviewDbConfig.DEFAULT_LOCK_DURATION,
                    ResumeReviewDbConfig.DEFAULT_SESSION_LIFETIME, DEFAULT_MAX_REPLICA_LAG, OperationObserver.NONE, null,
                    Duration.ZERO);
        }

        static Settings of(ResumeReviewDbConfig config, OperationObserver observer) {
            // Behind a transaction pooler the server cannot be told the timeout once per session: the driver applies it.
            Duration clientTimeout = config.pooler() == Pooler.TRANSACTION ? config.statementTimeout() : Duration.ZERO;
            return new Settings(config.maxFailedLogins(), config.lockDuration(), config.sessionLifetime(),
                    config.maxReplicaLag(), observer, config.transactionManager(), clientTimeout);
        }
    }

    private ResumeReviewDb(DataSource dataSource, HikariDataSource ownedPool, List<ReplicaRouter.Replica> replicas,
                           Settings settings, ExecuteListener... listeners) {
        this.dataSource = new ClosableDataSource(dataSource);
        this.ownedPool = ownedPool;
        this.replicas = List.copyOf(replicas);
        // A caller's HikariCP pool has one too when FailoverConnections was installed on it (Spring Boot's pool).
        PrimaryLocator primaryLocator = locatorOf(ownedPool != null ? ownedPool : dataSource);
        this.locator = primaryLocator;
        this.router = replicas.isEmpty() ? null : new ReplicaRouter(this.dataSource, primaryLocator, replicas,
                settings.maxReplicaLag(), ReplicaRouter.DEFAULT_PROBE_INTERVAL, LoggerFactory.getLogger(ReplicaRouter.class));
        // The one notion of the current transaction: Spring's when the service has a transaction manager, else ours.
        Transactions transactions = settings.transactionManager() == null ? new LocalTransactions(this.dataSource)
                : SpringTransactions.create(dataSource, this.dataSource, settings.transactionManager());
        this.dsl = DSL.using(configuration(transactions, settings.clientStatementTimeout(), listeners));
        this.database = new Database(dsl, transactions, router, settings.observer(), settings.clientStatementTimeout());
        this.users = new PostgresUserRepository(database, settings.maxFailedLogins(), settings.lockDuration());
        this.refreshTokens = new PostgresRefreshTokenRepository(database, settings.sessionLifetime());
        this.fileUploads = new PostgresFileUploadRepository(database);
        this.analyses = new PostgresAnalysisRepository(database);
        this.prompts = new PostgresPromptRepository(database);
        this.schemaMigrations = new PostgresSchemaMigrationRepository(database);
    }

    /**
     * Uses a {@link DataSource} the caller owns (and closes); typically the service's own pool. Runs no schema
     * check: call {@link #verifySchema()} if the service wants one.
     * @param dataSource the caller's pool; null is refused with a {@link ConfigurationException}
     * @return a new instance; closing it leaves {@code dataSource} open
     */
    public static ResumeReviewDb create(DataSource dataSource) {
        return new ResumeReviewDb(requireDataSource(dataSource), null, List.of(), Settings.defaults());
    }

    /**
     * Like {@link #create(DataSource)}, with jOOQ listeners that see every statement the repositories run
     * (for metrics, tracing or query logging). Listeners must not log bind values: they hold emails and hashes.
     *
     * @param dataSource the caller's pool; null is refused with a {@link ConfigurationException}
     * @param listeners jOOQ listeners, in the order jOOQ calls them; may be empty
     * @return a new instance; closing it leaves {@code dataSource} open
     */
    public static ResumeReviewDb create(DataSource dataSource, ExecuteListener... listeners) {
        return new ResumeReviewDb(requireDataSource(dataSource), null, List.of(), Settings.defaults(), listeners);
    }

    private static DataSource requireDataSource(DataSource dataSource) {
        if (dataSource == null) {
            throw new ConfigurationException("dataSource", "dataSource must not be null");
        }
        return dataSource;
    }

    /**
     * Like {@link #create(DataSource)}, with streaming replicas of {@code primary} that serve reads (see
     * {@link #consistencyToken()} for what callers see). Both stay the caller's to close; reads accept
     * {@link ResumeReviewDbConfig#maxReplicaLag() the default 1 s} of replay lag when the caller wrote nothing.
     * <pre>{@code
     * ResumeReviewDb db = ResumeReviewDb.create(primaryPool, replicaPool1, replicaPool2);
     * }</pre>
     *
     * @param primary the caller's pool for the primary; not null
     * @param replicas the caller's pools for replicas; none means every read goes to the primary; no null element
     * @return a new instance; closing it leaves every given pool open
     * @throws ConfigurationException (setting {@code primary}, or {@code replicas[i]}) for a missing pool
     */
    public static ResumeReviewDb create(DataSource primary, DataSource... replicas) {
        if (primary == null) {
            throw new ConfigurationException("primary", "the primary's DataSource must not be null");
        }
        if (replicas == null) {
            throw new ConfigurationException("replicas", "pass no replica rather than a null array");
        }
        List<ReplicaRouter.Replica> list = new ArrayList<>();
        for (int i = 0; i < replicas.length; i++) {
            if (replicas[i] == null) {
                throw new ConfigurationException("replicas[" + i + "]", "a replica's DataSource must not be null");
            }
            list.add(new ReplicaRouter.Replica("replica-" + (i + 1), replicas[i], null));
        }
        return new ResumeReviewDb(primary, null, list, Settings.defaults());
    }

    /**
     * Creates a pool for {@code url} (either form, see {@link DatabaseUrl}) with the default settings.
     *
     * @param url the primary's URL in either form
     * @return a new instance that owns its pool (close it)
     * @throws ConfigurationException (setting {@code url}) when the URL cannot be parsed, or as
     *                                {@link #connect(ResumeReviewDbConfig)}
     */
    public static ResumeReviewDb connect(String url) {
        return connect(ResumeReviewDbConfig.builder().url(url).build());
    }

    /**
     * Reads {@code DATABASE_URL} (and {@code DATABASE_POOL_SIZE}, {@code DATABASE_READ_URLS}, {@code DATABASE_POOLER})
     * from the environment, as {@link ResumeReviewDbConfig#fromEnvironment()}.
     *
     * @return a new instance that owns its pool (close it)
     * @throws ConfigurationException naming the variable when it is missing or invalid, or as
     *                                {@link #connect(ResumeReviewDbConfig)}
     */
    public static ResumeReviewDb fromEnvironment() {
        return connect(ResumeReviewDbConfig.fromEnvironment());
    }

    /**
     * Creates a HikariCP pool from {@code config}'s URL, or uses its {@link ResumeReviewDbConfig#dataSource()}, and
     * runs the schema check {@code config.schemaCheck()} asks for (see the class comment). Fails fast, naming the
     * server (never the password), when the database cannot be reached.
     *
     * @param config the settings; null is refused with a {@link ConfigurationException}
     * @return a new instance; it owns (and closes) the pools it created, not a caller's data source
     * @throws DatabaseUnavailableException when the server cannot be reached (the driver's exception is the cause)
     * @throws ConfigurationException       (setting {@code url}) when the server refuses the login or has no such
     *                                      database, or the config is invalid
     * @throws SchemaCheckFailedException with {@link SchemaCheck#FAIL} when a difference is breaking; the pool is closed
     */
    public static ResumeReviewDb connect(ResumeReviewDbConfig config) {
        if (config == null) {
            throw new ConfigurationException("config", "config must not be null: build one with ResumeReviewDbConfig.builder()");
        }
        if (config.dataSource() != null && config.pooler() == Pooler.TRANSACTION) {
            requireNoServerPrepares(config.dataSource());
        }
        OperationObserver observer = config.meterRegistry() == null ? OperationObserver.NONE
                : MicrometerMetrics.observer(config.meterRegistry());
        HikariDataSource pool = config.dataSource() != null ? null
                : pool(config, config.url(), "resume-review-db", config.connectionTimeout(), true);
        DataSource primary = pool != null ? pool : config.dataSource();
        PrimaryLocator locator = locatorOf(primary);
        if (locator != null) {
            // Start-up reports the replication mode, and warns once when acknowledged writes can be lost at failover.
            try (Connection c = primary.getConnection()) {
                locator.readDurability(c);
            } catch (SQLException e) {
                LOG.debug("replication mode not read at start-up: {}", e.getMessage());
            }
        }
        List<ReplicaRouter.Replica> replicas = new ArrayList<>();
        ResumeReviewDb db = null;
        try {
            for (DatabaseUrl url : config.readReplicaUrls()) {
                String name = "resume-review-db-replica-" + (replicas.size() + 1);
                // A replica that is down must not hold a read up for long: the read goes to the primary instead.
                Duration timeout = config.connectionTimeout().compareTo(REPLICA_CONNECTION_TIMEOUT) < 0
                        ? config.connectionTimeout() : REPLICA_CONNECTION_TIMEOUT;
                // A replica down at start-up does not stop the service: reads go to the primary until it answers.
                HikariDataSource replicaPool = pool(config, url, name, timeout, false);
                replicas.add(new ReplicaRouter.Replica(name + " (" + url.jdbcUrl() + ")", replicaPool, replicaPool));
            }
            for (DataSource replica : config.readReplicaDataSources()) {
                replicas.add(new ReplicaRouter.Replica("replica-" + (replicas.size() + 1), replica, null));
            }
            db = new ResumeReviewDb(pool != null ? pool : config.dataSource(), pool, replicas,
                    Settings.of(config, observer));
            StartupSchemaCheck.run(config.schemaCheck(), db::verifySchema, LOG);
            if (config.schemaCheck() != SchemaCheck.OFF) {
                for (ReplicaRouter.Replica replica : replicas) {
                    VerificationReport report;
                    try {
                        report = SchemaVerifier.againstBundledSnapshot().verify(replica.dataSource());
                    } catch (RuntimeException e) {
                        // A replica that does not answer yet serves no read; it must not keep the service from starting.
                        LOG.warn("schema check of read replica {} could not run ({}); it serves reads once it answers",
                                replica.name(), e.getMessage());
                        continue;
                    }
                    StartupSchemaCheck.run(config.schemaCheck(), () -> report, LOG);
                }
            }
            return db;
        } catch (RuntimeException e) {
            if (db != null) {
                db.close();
            } else {
                for (ReplicaRouter.Replica r : replicas) {
                    if (r.owned() instanceof HikariDataSource owned) {
                        owned.close();
                    }
                }
                if (pool != null) {
                    pool.close();
                }
            }
            throw e;
        }
    }

    /**
     * Behind a transaction pooler a caller's pool must not prepare statements on the server (the library cannot change
     * its settings): checked on one connection. A pool that cannot lend one now is not checked; its failures are
     * reported as they come.
     */
    private static void requireNoServerPrepares(DataSource dataSource) {
        int threshold;
        try (Connection c = dataSource.getConnection()) {
            if (!c.isWrapperFor(org.postgresql.PGConnection.class)) {
                return;
            }
            threshold = c.unwrap(org.postgresql.PGConnection.class).getPrepareThreshold();
        } catch (SQLException | RuntimeException e) {
            return;
        }
        if (threshold > 0) {
            throw new ConfigurationException("pooler", "pooler is TRANSACTION but the dataSource's connections prepare"
                    + " statements on the server (prepareThreshold=" + threshold + "), which break behind a"
                    + " transaction-pooling PgBouncer; set prepareThreshold=0 on that pool (a JDBC URL parameter or data"
                    + " source property, in Spring Boot spring.datasource.hikari.data-source-properties.prepareThreshold=0)");
        }
    }

    /** The primary locator under a pool (the library's, or one {@link FailoverConnections} was installed on), or null. */
    private static PrimaryLocator locatorOf(DataSource pool) {
        return FailoverConnections.locatorOf(pool);
    }

    /** Ends the outage retrying of a pool the library created, before it is closed. */
    private static void stopReconnecting(Object pool) {
        FailoverConnections.stopReconnecting(pool);
    }

    /** {@link ResumeReviewDbConfig#maxReplicaLag()}'s default, for {@link #create(DataSource, DataSource...)}. */
    private static final Duration DEFAULT_MAX_REPLICA_LAG = Duration.ofSeconds(1);

    /** Longest wait for a replica connection before the read goes to the primary (HikariCP's minimum is 250 ms). */
    private static final Duration REPLICA_CONNECTION_TIMEOUT = Duration.ofSeconds(1);

    /**
     * An opaque token (cookie- and URL-safe) for "everything this caller has written, or seen on the primary, so
     * far". A service hands it to the client after a write and passes it back to {@link #readingAfter} on the next
     * request, which may run on another thread or instance: that request's reads never see older data. Within one
     * thread this holds without a token (after a write, the thread's reads wait for a replica that has replayed it
     * or go to the primary). Without replicas the token is still valid and costs nothing to honour.
     * <pre>{@code
     * db.fileUploads().create(upload);
     * response.addCookie(new Cookie("rrdb", db.consistencyToken()));
     * // next request, any instance:
     * List<FileUpload> mine = db.readingAfter(cookie.getValue(), () -> db.fileUploads().listByUser(userId, page));
     * }</pre>
     *
     * @return the token, never null
     * @throws DatabaseUnavailableException when the caller has not written and the primary cannot be asked for its
     *                                      position
     */
    public String consistencyToken() {
        if (router == null) {
            return NO_REPLICA_TOKEN;
        }
        return router.consistencyToken();
    }

    /** The token of a {@code ResumeReviewDb} without replicas: every read is on the primary, nothing to wait for. */
    private static final String NO_REPLICA_TOKEN = "rrdb0.primary";

    /**
     * Runs {@code work} so that its reads on this thread see at least what {@code token} (from
     * {@link #consistencyToken()}, here or on another instance) covers. A replica that has not replayed that far, has
     * been promoted, or belongs to another cluster (rebuilt) serves none of them: they go to the primary. A token
     * taken before a failover is honoured where its writes are known to have survived it, else refused.
     *
     * @param <T> the type of {@code work}'s result
     * @param token a token from {@link #consistencyToken()}
     * @param work the reads to run; null throws {@link NullPointerException}
     * @return what {@code work} returns
     * @throws ValidationException naming {@code consistencyToken} when {@code token} is not one
     * @throws ConsistencyLostException when the token's writes came before a failover and the current primary is not
     *                                  known to hold them (never answered with older data instead)
     */
    public <T> T readingAfter(String token, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (router == null || NO_REPLICA_TOKEN.equals(token)) {
            if (!NO_REPLICA_TOKEN.equals(token)) {
                // Still reject what is not a token, and one whose writes a failover may have lost.
                ReplicaRouter.requireOnPrimary(com.airesumereview.db.internal.WalPosition.fromToken(token), locator);
            }
            return work.get();
        }
        return router.readingAfter(token, work);
    }

    /**
     * How reads outside transactions were routed since this object was created (replica, primary and why, replica
     * state changes); all zero without replicas. Cheap: for metrics and health pages.
     *
     * @return the counts so far, a snapshot
     */
    public ReplicaReadCounts replicaReadCounts() {
        return router == null ? new ReplicaReadCounts(0, 0, 0, 0, 0) : router.counts();
    }

    /**
     * Compares the live database with the snapshot the code was generated from, through one connection of this
     * object's data source, used read-only and rolled back. Takes a few hundred milliseconds; meant for start-up
     * and health endpoints, not for every request.
     * <pre>{@code
     * VerificationReport report = db.verifySchema();
     * if (report.verdict() == Verdict.BREAKING) { ... report.render() ... }
     * }</pre>
     *
     * @return the differences found, with their verdict
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
     * @return up or down with the reason and how long the check took
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
                if (locator != null) {
                    locator.readDurability(c);
                }
            }
            return null;
        });
        Thread thread = new Thread(probe, "resume-review-db-health");
        thread.setDaemon(true);
        thread.start();
        try {
            probe.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Health.answered(Duration.ofNanos(System.nanoTime() - start), topology());
        } catch (TimeoutException e) {
            probe.cancel(true); // stops waiting for a pooled connection; a running SELECT ends by its query timeout
            Topology seen = topology();
            return Health.unanswered(Duration.ofNanos(System.nanoTime() - start),
                    "no answer to SELECT 1 within " + timeout.toMillis() + " ms" + noPrimary(seen), seen);
        } catch (ExecutionException e) {
            Topology seen = topology();
            return Health.unanswered(Duration.ofNanos(System.nanoTime() - start), describe(e.getCause()) + noPrimary(seen),
                    seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probe.cancel(true);
            return Health.unanswered(Duration.ofNanos(System.nanoTime() - start), "interrupted while waiting for SELECT 1",
                    topology());
        }
    }

    /**
     * Why there is no primary to ask, when {@code seen} has none (hosts down, standbys, a refused stale one). Read from
     * the same snapshot the health answer carries, so its reason and its topology never disagree while the
     * background look changes its mind between two reads.
     */
    private String noPrimary(Topology seen) {
        if (locator == null || seen.primary().isPresent()) {
            return "";
        }
        StringBuilder b = new StringBuilder("; no usable primary: ");
        for (int i = 0; i < seen.hosts().size(); i++) {
            Topology.Host h = seen.hosts().get(i);
            PrimaryLocator.appendHost(b.append(i == 0 ? "" : "; "), h.address(), h.role(), h.detail());
        }
        return b.toString();
    }

    /** What the primary's locator knows, without I/O; {@link Topology#unknown()} for a caller's data source. */
    private Topology topology() {
        if (locator == null) {
            return Topology.unknown();
        }
        List<Topology.Host> hosts = new ArrayList<>();
        for (PrimaryLocator.HostState h : locator.states()) {
            hosts.add(new Topology.Host(h.host(), Topology.Role.valueOf(h.role().name()), h.detail()));
        }
        PrimaryLocator.Durability d = locator.durability();
        return new Topology(java.util.Optional.ofNullable(locator.primary()), locator.timeline(), hosts,
                d == null ? java.util.Optional.empty() : java.util.Optional.of(d.describe()),
                d == null || d.writesCanBeLostAtFailover());
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
     * {@link #verifySchema()} for each read replica, in configuration order (empty without replicas). A streaming
     * replica is a copy of the primary, so a difference here means it is not a replica of this primary, or
     * lags far behind a DDL change; the start-up check runs it too.
     *
     * @return one report per replica, in configuration order; empty without replicas
     */
    public List<VerificationReport> verifyReplicaSchemas() {
        List<VerificationReport> reports = new ArrayList<>();
        for (ReplicaRouter.Replica r : replicas) {
            reports.add(SchemaVerifier.againstBundledSnapshot().verify(r.dataSource()));
        }
        return List.copyOf(reports);
    }

    /**
     * A HikariCP pool for {@code url} with {@code config}'s pool settings, its metrics (when a registry was given)
     * and then its {@link ResumeReviewDbConfig#poolCustomizer()}: every pool the library creates is made here.
     */
    private static HikariDataSource pool(ResumeReviewDbConfig config, DatabaseUrl url, String name, Duration connectionTimeout,
                                         boolean failIfUnreachable) {
        HikariConfig h = new HikariConfig();
        if (!failIfUnreachable) {
            h.setInitializationFailTimeout(-1);
        }
        h.setPoolName(name);
        h.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            h.setUsername(url.user());
        }
        if (url.password() != null) {
            h.setPassword(url.password());
        }
        h.setMaximumPoolSize(config.maximumPoolSize());
        h.setMinimumIdle(config.minimumIdle());
        h.setConnectionTimeout(connectionTimeout.toMillis());
        h.setIdleTimeout(config.idleTimeout().toMillis());
        h.setMaxLifetime(config.maxLifetime().toMillis());
        h.setKeepaliveTime(config.keepaliveTime().toMillis());
        ConnectionSettings settings = ConnectionSettings.of(config.pooler(), config.statementTimeout(),
                config.applicationName());
        settings.dataSourceProperties().forEach(h::addDataSourceProperty);
        if (settings.initSql() != null) {
            h.setConnectionInitSql(settings.initSql());
        }
        if (config.meterRegistry() != null) {
            MicrometerMetrics.instrument(h, config.meterRegistry());
        }
        try {
            config.poolCustomizer().accept(h);
            h.validate();
        } catch (RuntimeException e) {
            throw new ConfigurationException("poolCustomizer", "poolCustomizer left an invalid HikariCP setting: "
                    + Secrets.describe(e, url.password()), e);
        }
        // Only the primary's pool follows a promotion; a replica's pool gets the driver's connections.
        FailoverConnections connections = FailoverConnections.install(h, failIfUnreachable, config.readReplicaUrls(),
                config.meterRegistry() == null ? null : config::meterRegistry);
        // Outermost, so a connection's checkout validation is answered before any layer under it is asked.
        LivenessDataSource.install(h, config.validationBypassWindow());
        try {
            HikariDataSource pool = new HikariDataSource(h);
            // A new primary (failover) or a refused one: connections to the old server leave the pool now.
            connections.evictOnSwitch(pool);
            return pool;
        } catch (RuntimeException e) {
            connections.close();
            ConfigurationException pooler = SqlFailures.poolerMismatch(e, "connect");
            if (pooler != null) {
                throw pooler;
            }
            throw Connections.connectFailure(url, e);
        }
    }

    /** The meter counting hosts refused as primary (stale, behind, or of another cluster). */
    static final String REFUSED_PRIMARIES_METER = FailoverConnections.REFUSED_PRIMARIES_METER;

    private static Configuration configuration(Transactions transactions, Duration clientTimeout,
                                               ExecuteListener... listeners) {
        ExecuteListener[] all = new ExecuteListener[listeners.length + 1];
        all[0] = new ConstraintTranslator();
        System.arraycopy(listeners, 0, all, 1, listeners.length);
        return new DefaultConfiguration()
                .set(SQLDialect.POSTGRES)
                // Also its connection provider: jOOQ asks it for every connection, so dsl() joins the same transaction.
                .set(transactions)
                .set(DefaultExecuteListenerProvider.providers(all))
                // The settings the row mappings are written for (e.g. 'infinity' timestamps read through pgJDBC).
                .set(clientTimeout.isZero() ? RowMappings.settings()
                        // The statements jOOQ runs itself (a service's dsl() queries) get the driver's timeout too, in whole seconds.
                        : RowMappings.settings().withQueryTimeout((int) Math.min(Integer.MAX_VALUE,
                                (clientTimeout.toMillis() + 999) / 1000)));
    }

    /**
     * Users ({@code users}).
     *
     * @return the repository, shared by every caller of this instance
     */
    public UserRepository users() {
        return users;
    }

    /**
     * Refresh tokens / sessions ({@code refresh_tokens}).
     *
     * @return the repository, shared by every caller of this instance
     */
    public RefreshTokenRepository refreshTokens() {
        return refreshTokens;
    }

    /**
     * Resume uploads and their processing pipeline ({@code file_uploads}).
     *
     * @return the repository, shared by every caller of this instance
     */
    public FileUploadRepository fileUploads() {
        return fileUploads;
    }

    /**
     * Resume analyses: requests, the worker queue and results ({@code analysis_requests}, {@code analysis_results}).
     *
     * @return the repository, shared by every caller of this instance
     */
    public AnalysisRepository analyses() {
        return analyses;
    }

    /**
     * Prompts and their use by analyses ({@code prompts}, {@code prompt_history}).
     *
     * @return the repository, shared by every caller of this instance
     */
    public PromptRepository prompts() {
        return prompts;
    }

    /**
     * The legacy migration log of the Python service ({@code schema_migrations}), read-only.
     *
     * @return the repository, shared by every caller of this instance
     */
    public SchemaMigrationRepository schemaMigrations() {
        return schemaMigrations;
    }

    /**
     * Runs {@code work} in one transaction and returns its result. Commits when it returns, rolls back
     * when it throws (the exception propagates). Inside a transaction already running on this thread (this
     * method's, jOOQ's or Spring's) it is a savepoint of that transaction instead: rolled back alone when
     * {@code work} throws, committed only with the outer transaction.
     * @param <T> the type of {@code work}'s result
     * @param work given this instance, runs the transaction's statements; null throws {@link NullPointerException}
     * @return what {@code work} returns
     */
    public <T> T inTransaction(Function<ResumeReviewDb, T> work) {
        Objects.requireNonNull(work, "work");
        dataSource.requireOpen();
        return database.inTransaction(() -> work.apply(this));
    }

    /**
     * Like {@link #inTransaction(Function)} for work without a result.
     *
     * @param work given this instance, runs the transaction's statements; null throws {@link NullPointerException}
     */
    public void useTransaction(Consumer<ResumeReviewDb> work) {
        Objects.requireNonNull(work, "work");
        dataSource.requireOpen();
        database.inTransaction(() -> {
            work.accept(this);
            return null;
        });
    }

    /**
     * The jOOQ context behind the repositories, for queries the repositories do not offer, written with
     * the generated classes in {@code com.airesumereview.db.generated}. Queries run through it join the current
     * transaction like repository calls, and {@code dsl().transaction(..)} is the same transaction as
     * {@link #inTransaction} (a savepoint when nested).
     * @return the context, shared by every caller of this instance
     */
    public DSLContext dsl() {
        return dsl;
    }

    /**
     * Closes the pool if this object created it; a caller's {@link DataSource} is left open. From now on every
     * call (repositories, transactions, checks) raises {@link DatabaseClosedException}. Closing twice does nothing.
     */
    @Override
    public void close() {
        stopReconnecting(ownedPool);
        for (ReplicaRouter.Replica r : replicas) {
            stopReconnecting(r.owned());
        }
        if (router != null) {
            router.close();   // stops the replica probes and closes the replica pools this object created
        }
        dataSource.close();
        // A caller's pool keeps its locator until the caller closes it (FailoverConnections#close).
        if (locator != null && ownedPool != null) {
            locator.close();   // first: a connection request waiting for a primary gives up, so the pool closes at once
        }
        if (ownedPool != null) {
            ownedPool.close();
        }
    }
}
