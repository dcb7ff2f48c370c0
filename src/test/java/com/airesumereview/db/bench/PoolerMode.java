package com.airesumereview.db.bench;

import com.airesumereview.db.internal.Connections;
import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.production.PgBouncer;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a benchmark fork reaches its database ({@code bench.pooler}): straight to the server with pgJDBC's defaults
 * (server-side prepared statements after five uses), straight with {@code prepareThreshold=0} (no server-side
 * prepares, what a transaction pooler needs), or through a transaction-pooling {@link PgBouncer} (the
 * production tests' helper; with
 * {@code prepareThreshold=0}, without which transaction pooling mixes up prepared statements).
 *
 * <p>With {@code bench.roundTrips=true} the same-SQL check runs on a second, small pool whose connections count
 * protocol round trips ({@link RoundTripCounter}); the timed pool never counts.
 */
enum PoolerMode {
    DIRECT("direct", ""),
    NO_SERVER_PREPARES("direct, prepareThreshold=0", "prepareThreshold=0"),
    PGBOUNCER_TRANSACTION("through PgBouncer (pool_mode=transaction), prepareThreshold=0", "prepareThreshold=0");

    static final String PROPERTY = "bench.pooler";
    final String text;
    private final String urlParameters;

    PoolerMode(String text, String urlParameters) {
        this.text = text;
        this.urlParameters = urlParameters;
    }

    /** The property's value for this mode ({@code direct}, {@code no-server-prepares}, {@code pgbouncer-transaction}). */
    String property() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code bench.pooler}, {@link #DIRECT} when unset. */
    static PoolerMode fromProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return DIRECT;
        }
        return Arrays.stream(values()).filter(m -> m.property().equals(v.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(PROPERTY + ": expected one of " + Arrays.stream(values())
                        .map(PoolerMode::property).collect(Collectors.joining(", ")) + ", got " + v));
    }

    /** Both pools of a fork and the PgBouncer in front of the server, if any; closing closes them all. */
    record Pools(HikariDataSource timed, HikariDataSource counting, PgBouncer bouncer) implements AutoCloseable {
        /** The pool the same-SQL check records on: the counting one when round trips are counted. */
        HikariDataSource recorded() {
            return counting != null ? counting : timed;
        }

        @Override
        public void close() {
            if (counting != null) {
                counting.close();
            }
            timed.close();
            if (bouncer != null) {
                bouncer.close();
            }
        }
    }

    /**
     * The fork's pools on {@code db}. {@code synchronousCommit} (a value such as {@code off}, or null for the
     * server's) is set per session when {@code bench.pooler} is unset, as the benchmark always did; when it is
     * set, it is set on the database ({@code ALTER DATABASE}, on the database the provisioner created), so that
     * it holds through PgBouncer too, whose server connections a session {@code SET} does not follow, and
     * the three modes compare alike.
     */
    Pools open(ProvisionedDatabase db, int size, String synchronousCommit) {
        boolean perDatabase = System.getProperty(PROPERTY) != null;
        if (perDatabase && synchronousCommit != null) {
            try (Connection c = Connections.open(db.ownerUrl(), "bench-setup"); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE \"" + db.name().replace("\"", "\"\"") + "\" SET synchronous_commit = "
                        + synchronousCommit);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot set synchronous_commit on " + db.name() + ": "
                        + e.getMessage(), e);
            }
        }
        String initSql = perDatabase || synchronousCommit == null ? null : "set synchronous_commit = "
                + synchronousCommit;
        PgBouncer bouncer = this == PGBOUNCER_TRANSACTION ? PgBouncer.start(db.url(), "transaction",
                List.of("ignore_startup_parameters = extra_float_digits, options")) : null;
        DatabaseUrl url = bouncer != null ? bouncer.through(db.url()) : db.url();
        HikariDataSource timed = pool(url, "bench", size, initSql, urlParameters);
        HikariDataSource counting = null;
        if (Boolean.getBoolean("bench.roundTrips")) {
            counting = pool(url, "bench-counting", 1, initSql, join(urlParameters, "sslmode=disable&socketFactory="
                    + RoundTripCounter.CLASS));
        }
        return new Pools(timed, counting, bouncer);
    }

    private static HikariDataSource pool(DatabaseUrl url, String name, int size, String initSql, String parameters) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        String jdbc = url.jdbcUrl();
        if (!parameters.isEmpty()) {
            jdbc = jdbc + (jdbc.contains("?") ? "&" : "?") + parameters;
        }
        h.setJdbcUrl(jdbc);
        if (url.user() != null) {
            h.setUsername(url.user());
        }
        if (url.password() != null) {
            h.setPassword(url.password());
        }
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(size);
        if (initSql != null) {
            h.setConnectionInitSql(initSql);
        }
        return new HikariDataSource(h);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "&" + b;
    }
}
