package com.airesumereview.db.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.SQLExceptionOverride;
import com.zaxxer.hikari.util.DriverDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * What spares a quiet service HikariCP's validation round trip at every checkout: the data source under a pool,
 * whose connections answer {@link Connection#isValid} themselves when they have been in contact with the server
 * within {@code window} and nothing has gone wrong in the pool since. HikariCP's background keepalive
 * ({@code keepaliveTime}, longer than the window) then does the checking: its check of an idle connection always
 * comes after the window and reaches the server.
 *
 * <p>Why: HikariCP validates a connection that sat idle for more than 500 ms before lending it
 * ({@code Connection.isValid}, one round trip); its keepalive does not count as use, and only a JVM-wide system
 * property ({@code com.zaxxer.hikari.aliveBypassWindowMs}) moves that window, which a library must not set for its
 * host. A service called once a second paid two round trips per call where one does.
 *
 * <p>Contact with the server is: the connection was opened, a real validation succeeded, or a loan that created a
 * statement ended normally (HikariCP clears the connection's warnings when it takes it back). Trouble is: a real
 * validation failed, a connection could not be opened, or a connection was closed during a loan that created a
 * statement (HikariCP evicts a connection whose statement failed with a connection error; its exception override
 * tells of that failure at once, on the caller's thread). After trouble every
 * connection is validated for real before it is lent, until it has been in contact again: after a server restart,
 * one call fails on a connection that died idle (as any call does on HikariCP's connections used within its 500 ms)
 * and the pool's other connections are checked before they are lent. A connection the driver knows to be closed is
 * always validated for real.
 *
 * <p>Written here because neither HikariCP nor the PostgreSQL driver offers it per pool. Thread-safe.
 */
public final class LivenessDataSource extends DataSourceWrapper {
    private final long windowNanos;
    /** Grows at every trouble; a connection's contact counts only when made in the current epoch. */
    private final AtomicLong trouble = new AtomicLong();
    private final AtomicLong answeredLocally = new AtomicLong();
    private final AtomicLong validated = new AtomicLong();

    /**
     * @param target the data source the pool would otherwise use
     * @param window how long after its last contact a connection is taken as alive without a round trip; positive
     */
    public LivenessDataSource(DataSource target, Duration window) {
        super(target);
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.windowNanos = window.toNanos();
    }

    /**
     * Puts a {@link LivenessDataSource} under {@code h} (outermost), which must not have started: under its data
     * source, or under the driver's connections for its JDBC URL. A zero {@code window} changes nothing (HikariCP
     * validates after 500 ms idle), nor does a pool configured with a {@code dataSourceClassName} or a
     * {@code connectionTestQuery} (HikariCP then runs that query and never asks {@code isValid}).
     *
     * @return the installed data source, or null when nothing was installed
     */
    public static LivenessDataSource install(HikariConfig h, Duration window) {
        if (window.isZero() || h.getDataSourceClassName() != null || h.getConnectionTestQuery() != null
                || (h.getDataSource() == null && h.getJdbcUrl() == null)) {
            return null;
        }
        DataSource under = h.getDataSource();
        if (under == null) {
            // The driver's connections as HikariCP would open them; HikariCP then asks this one with the credentials.
            under = new DriverDataSource(h.getJdbcUrl(), h.getDriverClassName(), h.getDataSourceProperties(),
                    h.getUsername(), h.getPassword());
        }
        LivenessDataSource liveness = new LivenessDataSource(under, window);
        h.setDataSource(liveness);
        if (h.getExceptionOverrideClassName() == null) {
            // Told of a broken connection on the caller's thread, before the next checkout (HikariCP closes the
            // broken connection later, on its own thread).
            SQLExceptionOverride own = h.getExceptionOverride();
            h.setExceptionOverride(new SQLExceptionOverride() {
                @java.lang.Override
                public SQLExceptionOverride.Override adjudicate(SQLException e) {
                    if (SqlFailures.isUnavailable(e)) {
                        liveness.trouble();
                    }
                    return own == null ? SQLExceptionOverride.Override.CONTINUE_EVICT : own.adjudicate(e);
                }
            });
        }
        return liveness;
    }

    /** {@return the data source behind this one} */
    public DataSource target() {
        return target;
    }

    /** {@return how many validations were answered without a round trip} */
    public long answeredLocally() {
        return answeredLocally.get();
    }

    /** {@return how many validations went to the server} */
    public long validated() {
        return validated.get();
    }

    /** From now on every connection is validated for real until it is in contact again. */
    public void trouble() {
        trouble.incrementAndGet();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return opened(() -> target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return opened(() -> target.getConnection(username, password));
    }

    @FunctionalInterface
    private interface Open {
        Connection open() throws SQLException;
    }

    private Connection opened(Open open) throws SQLException {
        long epoch = trouble.get();
        Connection c;
        try {
            c = open.open();
        } catch (SQLException | RuntimeException e) {
            trouble();
            throw e;
        }
        return new LiveConnection(c, this, epoch);
    }

    /** Whether {@code connection} may be taken as alive without asking the server. */
    boolean recentlyInContact(long contactNanos, long contactEpoch) {
        return contactEpoch == trouble.get() && System.nanoTime() - contactNanos < windowNanos;
    }

    /** The epoch a contact starting now belongs to. */
    long epoch() {
        return trouble.get();
    }

    void countLocal() {
        answeredLocally.incrementAndGet();
    }

    void countValidated() {
        validated.incrementAndGet();
    }
}
