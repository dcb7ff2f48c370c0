package com.airesumereview.db;

import com.airesumereview.db.internal.LivenessDataSource;
import com.airesumereview.db.internal.MicrometerMetrics;
import com.airesumereview.db.internal.PrimaryLocator;
import com.airesumereview.db.internal.ReconnectingDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * How the library's own pools open connections, put under a HikariCP pool someone else creates: the Spring Boot
 * integration applies it to Boot's pool, and a service with its own HikariCP pool can call it too. Before the pool
 * starts, {@link #install} moves the pool's JDBC URL, credentials and driver properties to
 * <ul>
 *   <li>a primary locator for the URL's hosts (one or a list, plus the read replicas' hosts): connections go only
 *   to a host that is not in recovery, follow a promotion, and a stale primary on an older timeline is refused (one
 *   ERROR line and the counter {@code resume_review_db.primary.refused}); on a switch the pool's connections to the
 *   old server are soft-evicted;</li>
 *   <li>wrapped in a data source that tries the server again every 100 ms during an outage, so HikariCP's growing
 *   back-off between attempts never delays the pool's recovery.</li>
 * </ul>
 * Close the returned object when the pool is closed, before it (a connection request waiting for a primary gives
 * up at once); the Spring integration does that itself. Pools that already have a {@code dataSource} or
 * {@code dataSourceClassName} are left as they are ({@link #installed()} is false).
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db-1:5432,db-2:5432/app");
 * config.setUsername("app");
 * config.setPassword(password);
 * FailoverConnections failover = FailoverConnections.install(config, List.of(), meterRegistry);
 * HikariDataSource pool = new HikariDataSource(config);
 * failover.evictOnSwitch(pool);
 * // at shut-down: failover.close(); pool.close();
 * }</pre>
 */
public final class FailoverConnections implements AutoCloseable {
    /** How often a pool tries the server again during an outage (see ReconnectingDataSource). */
    static final Duration RECONNECT_POLL_INTERVAL = Duration.ofMillis(100);

    /** How often a multi-host pool looks at every configured host in the background. */
    private static final Duration PRIMARY_PROBE_INTERVAL = Duration.ofMillis(250);

    /** The meter counting hosts refused as primary (stale, behind, or of another cluster). */
    static final String REFUSED_PRIMARIES_METER = "resume_review_db.primary.refused";

    private final PrimaryLocator locator;
    private final ReconnectingDataSource reconnecting;

    private FailoverConnections(PrimaryLocator locator, ReconnectingDataSource reconnecting) {
        this.locator = locator;
        this.reconnecting = reconnecting;
    }

    /**
     * Puts the primary locator and the outage retrying under {@code pool}, which must not have started (a
     * {@link HikariDataSource} before its first connection, or a {@link HikariConfig}); for a
     * {@link HikariDataSource} also {@link #evictOnSwitch} on it.
     *
     * @param pool          a pool with a {@code jdbc:postgresql://} URL (one host or a list) and its credentials
     * @param replicas      read replicas of the same cluster, whose hosts may be promoted (empty when none)
     * @param meterRegistry gives a Micrometer {@code MeterRegistry} for the refused-primary counter, or null; asked
     *                      at the first refusal, so it may be a lazy lookup
     * @return the installed locator and retrying; close it at shut-down, before the pool
     * @throws DatabaseUrl.InvalidDatabaseUrlException when the pool's URL is not a valid PostgreSQL URL
     * @throws ConfigurationException                  (setting {@code pool}) when the pool has already started
     */
    public static FailoverConnections install(HikariConfig pool, List<DatabaseUrl> replicas, Supplier<?> meterRegistry) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(replicas, "replicas");
        if (pool instanceof HikariDataSource started && started.getHikariPoolMXBean() != null) {
            throw new ConfigurationException("pool", "the pool " + started.getPoolName() + " has started; its"
                    + " connection settings are sealed, so install must run before its first connection");
        }
        FailoverConnections installed = install(pool, true, replicas, meterRegistry);
        if (pool instanceof HikariDataSource h) {
            installed.evictOnSwitch(h);
        }
        return installed;
    }

    /**
     * The one way every pool gets its connections: a locator for a primary's pool ({@code primary}), the driver's
     * connections otherwise, both retried during an outage. A pool with its own data source is left alone.
     */
    static FailoverConnections install(HikariConfig h, boolean primary, List<DatabaseUrl> replicas,
                                       Supplier<?> meterRegistry) {
        if (h.getDataSource() != null || h.getDataSourceClassName() != null) {
            return new FailoverConnections(null, null);
        }
        if (primary) {
            PrimaryLocator locator = locator(h, replicas, meterRegistry);
            ReconnectingDataSource reconnecting = new ReconnectingDataSource(locator, RECONNECT_POLL_INTERVAL);
            h.setDataSource(reconnecting);
            return new FailoverConnections(locator, reconnecting);
        }
        // The driver's connections as HikariCP would open them.
        ReconnectingDataSource reconnecting = new ReconnectingDataSource(new DriverDataSource(h.getJdbcUrl(),
                h.getDriverClassName(), h.getDataSourceProperties(), h.getUsername(), h.getPassword()),
                RECONNECT_POLL_INTERVAL);
        h.setDataSource(reconnecting);
        return new FailoverConnections(null, reconnecting);
    }

    /**
     * A locator for the URL's hosts, then the read replicas' hosts (same database and credentials), so a promoted
     * replica is written to; the URL, credentials and driver properties move from the pool to it.
     */
    private static PrimaryLocator locator(HikariConfig h, List<DatabaseUrl> replicas, Supplier<?> meterRegistry) {
        DatabaseUrl url = DatabaseUrl.of(h.getJdbcUrl(), h.getUsername(), h.getPassword());
        List<String> hosts = new ArrayList<>();
        for (String host : url.hosts()) {
            if (!hosts.contains(host)) {
                hosts.add(host);
            }
        }
        for (DatabaseUrl replica : replicas) {
            for (String host : replica.hosts()) {
                if (!hosts.contains(host)) {
                    hosts.add(host);
                }
            }
        }
        List<String> urls = new ArrayList<>();
        for (String host : hosts) {
            urls.add(url.onHost(host).jdbcUrl());
        }
        Properties props = new Properties();
        props.putAll(h.getDataSourceProperties());
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        Duration connectionTimeout = Duration.ofMillis(h.getConnectionTimeout());
        if (!url.jdbcUrl().contains("connectTimeout=") && !props.containsKey("connectTimeout")) {
            long seconds = Math.max(1, Math.min(10, (connectionTimeout.toMillis() + 999) / 1000));
            props.setProperty("connectTimeout", String.valueOf(seconds));
        }
        // One host cannot be replaced by another behind the pool's back: each new connection's check is enough, and
        // a service's many instances do not each ask the server four times a second.
        Duration probe = hosts.size() > 1 ? PRIMARY_PROBE_INTERVAL : Duration.ZERO;
        PrimaryLocator locator = new PrimaryLocator(hosts, urls, props, connectionTimeout, probe,
                LoggerFactory.getLogger(PrimaryLocator.class), refusedCounter(meterRegistry));
        h.setJdbcUrl(null);
        h.setUsername(null);
        h.setPassword(null);
        h.setDataSourceProperties(new Properties());
        return locator;
    }

    /** Counts a refusal in the registry {@code meterRegistry} gives at the first one (none: not counted). */
    private static Runnable refusedCounter(Supplier<?> meterRegistry) {
        if (meterRegistry == null) {
            return () -> { };
        }
        return new Runnable() {
            private Runnable counter;

            @Override
            public synchronized void run() {
                if (counter == null) {
                    Object registry = meterRegistry.get();
                    counter = registry == null ? () -> { } : MicrometerMetrics.counter(registry, REFUSED_PRIMARIES_METER,
                            "database hosts refused as primary: stale (older timeline), behind, or another cluster");
                }
                counter.run();
            }
        };
    }

    /**
     * Whether the pool's connections now come from here.
     *
     * @return false for a pool with its own data source, which is left as it was
     */
    public boolean installed() {
        return reconnecting != null;
    }

    /**
     * Soft-evicts {@code pool}'s connections when the primary changes (a failover, or a refused stale primary), so
     * connections to the old server leave the pool at once rather than at their max lifetime.
     *
     * @param pool the pool {@link #install} was given, or the data source built from that configuration
     */
    public void evictOnSwitch(HikariDataSource pool) {
        Objects.requireNonNull(pool, "pool");
        if (locator != null) {
            locator.onSwitch(host -> {
                if (pool.getHikariPoolMXBean() != null) {
                    pool.getHikariPoolMXBean().softEvictConnections();
                }
            });
        }
    }

    /** The primary locator under {@code pool} when its connections come from {@link #install}, else null. */
    static PrimaryLocator locatorOf(DataSource pool) {
        DataSource under = underLiveness(pool);
        if (under instanceof ReconnectingDataSource r) {
            under = r.target();
        }
        return under instanceof PrimaryLocator l ? l : null;
    }

    /** Ends the outage retrying under {@code pool}, before it is closed. */
    static void stopReconnecting(Object pool) {
        if (underLiveness(pool) instanceof ReconnectingDataSource r) {
            r.close();
        }
    }

    /** The data source under {@code pool}, below its {@link LivenessDataSource} when it has one; or null. */
    private static DataSource underLiveness(Object pool) {
        DataSource under = pool instanceof HikariDataSource h ? h.getDataSource() : null;
        return under instanceof LivenessDataSource l ? l.target() : under;
    }

    /**
     * Ends the outage retrying and the host probes; a connection request waiting for a primary gives up. Call it
     * when the pool is closed, before its {@code close()}. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (reconnecting != null) {
            reconnecting.close();
        }
        if (locator != null) {
            locator.close();
        }
    }
}
