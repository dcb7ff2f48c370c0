package com.airesumereview.db.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;

/**
 * The data source under the primary's pool: of the configured hosts it connects only to the one that is the current
 * primary, and never to a stale one.
 *
 * <h2>Which host is the primary</h2>
 * A host is a primary when {@code pg_is_in_recovery()} is false. Its timeline is the one of its current WAL file
 * ({@code substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)}, readable by any role on a primary); a promotion
 * starts a new, higher timeline. The locator remembers the highest timeline it has seen a primary on, and the
 * highest flushed WAL position ({@code pg_current_wal_flush_lsn()}) on it, and refuses a host that claims to be a
 * primary on an older timeline (an old primary that came back after a failover) or behind what it saw flushed on
 * that timeline (restored from an older copy), or that belongs to another cluster (system identifier). With no
 * memory yet (start-up) it asks every host and takes the primary on the highest timeline, so a fresh instance
 * also passes over a stale primary as long as the new one answers.
 *
 * <h2>When it looks</h2>
 * Each new physical connection is checked (one query) before the pool gets it. When the last primary fails or is
 * refused, every host is asked again, and while some host answers as a standby (a promotion may be under way) the
 * request waits for a primary up to {@code waitForPrimary}, polling every {@value #POLL_MILLIS} ms, so the pool's
 * callers are served as soon as the promotion completes. A background probe asks every host every
 * {@code probeInterval} over one connection per host, so a newer primary elsewhere (a failover this server did not
 * take part in) or a refused current one retires the pool's connections at once ({@code onSwitch}).
 *
 * <p>Each change of a host's state is logged once (ERROR for a refusal, WARN for a change of primary) and a
 * refusal is counted. Thread-safe.
 */
public final class PrimaryLocator implements DataSource, TimelineHistory, AutoCloseable {
    static final int POLL_MILLIS = 50;

    // One round trip; the CASE keeps the functions that fail during recovery from running on a standby.
    private static final String CHECK_SQL = "SELECT pg_is_in_recovery(),"
            + " (SELECT system_identifier FROM pg_control_system()),"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END,"
            + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_flush_lsn()::text END,"
            + " CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END,"
            + " (SELECT timeline_id FROM pg_control_checkpoint())";

    private static final String DURABILITY_SQL = "SELECT current_setting('synchronous_standby_names'),"
            + " current_setting('synchronous_commit'),"
            + " (SELECT count(*) FROM pg_stat_replication),"
            + " (SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')),"
            + " (SELECT count(*) FROM pg_stat_replication WHERE sync_state IS NULL)";

    /**
     * The flushed position known before a check began. Only a position seen before the check's query started may
     * be compared with its answer: another thread's later reading of the same primary is higher without the
     * primary having gone back.
     */
    private record Floor(long timeline, long flushed) {
    }

    private synchronized Floor floor() {
        return new Floor(highestTimeline, flushedOnHighest);
    }

    /** What one host said about itself. */
    record Seen(boolean inRecovery, long systemId, long timeline, long flushLsn, long replayLsn) {
    }

    /** A host's state as the locator last saw it. */
    public enum Role {
        /** Not asked yet. */
        UNKNOWN,
        /** The primary connections go to. */
        PRIMARY,
        /** In recovery (a standby). */
        STANDBY,
        /** Not reachable. */
        DOWN,
        /** Claims to be a primary but is refused (stale, behind, or another cluster). */
        REFUSED
    }

    /** One host's state for reports: its role and, for a refusal or an outage, why. */
    public record HostState(String host, Role role, String detail) {
    }

    /** The replication mode of the primary, as its settings say. */
    public record Durability(String synchronousStandbyNames, String synchronousCommit, String standbys,
                             boolean writesCanBeLostAtFailover) {
        /** One line for logs and health pages. */
        public String describe() {
            return "synchronous_standby_names='" + synchronousStandbyNames + "', synchronous_commit=" + synchronousCommit
                    + ", " + standbys;
        }
    }

    private final List<String> hosts;
    private final List<String> urls;
    private final Properties properties;
    private final long waitNanos;
    private final Logger log;
    private final Runnable refusalCounter;
    private final ScheduledExecutorService prober;
    private final Connection[] probes;
    private volatile Consumer<String> onSwitch = host -> { };
    private volatile int loginTimeoutSeconds;
    /** Set by {@link #close()}: a request waiting for a primary gives up, so the pool closes at once. */
    private volatile boolean closed;

    // The memory: guarded by this.
    private long systemId;
    private long highestTimeline;
    private long flushedOnHighest;
    private final Map<String, HostState> states = new LinkedHashMap<>();
    /** Per host: the last replay position seen while it was a standby, and the timeline then current (0: none). */
    private final long[] standbyReplay;
    private final long[] standbyReplayTimeline;
    /** Per left timeline: how far it is known to be part of the current history (see {@link #forkFloor}). */
    private final Map<Long, Long> forkFloors = new java.util.HashMap<>();
    private volatile int current = -1;
    /** The last host accepted as primary, kept while it is down, so a return of the same host is no switch. */
    private int lastAccepted = -1;
    private volatile Durability durability;
    private boolean durabilityWarned;

    /**
     * @param hosts          {@code host:port} of each candidate, in configuration order
     * @param urls           the single-host JDBC URL of each candidate (same order)
     * @param properties     driver properties for every connection (user, password, ApplicationName, ...)
     * @param waitForPrimary how long a connection request waits for a primary while a standby answers
     * @param probeInterval  time between two background looks at every host; zero for none
     * @param refusalCounter run once per host that becomes refused
     */
    public PrimaryLocator(List<String> hosts, List<String> urls, Properties properties, Duration waitForPrimary,
                          Duration probeInterval, Logger log, Runnable refusalCounter) {
        if (hosts.isEmpty() || hosts.size() != urls.size()) {
            throw new IllegalArgumentException("one URL per host, at least one host");
        }
        this.hosts = List.copyOf(hosts);
        this.urls = List.copyOf(urls);
        this.properties = (Properties) properties.clone();
        this.waitNanos = waitForPrimary.toNanos();
        this.log = Objects.requireNonNull(log, "log");
        this.refusalCounter = Objects.requireNonNull(refusalCounter, "refusalCounter");
        this.probes = new Connection[hosts.size()];
        this.standbyReplay = new long[hosts.size()];
        this.standbyReplayTimeline = new long[hosts.size()];
        for (String h : hosts) {
            states.put(h, new HostState(h, Role.UNKNOWN, "not asked yet"));
        }
        if (probeInterval.isZero()) {
            this.prober = null;
        } else {
            this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "resume-review-db-primary-probe");
                t.setDaemon(true);
                return t;
            });
            prober.scheduleWithFixedDelay(this::probeAll, probeInterval.toNanos(), probeInterval.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Called with the new primary's host whenever connections must leave the old one (the pool's soft eviction). */
    public void onSwitch(Consumer<String> action) {
        this.onSwitch = Objects.requireNonNull(action, "action");
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            int cur = current;
            if (cur >= 0) {
                Connection c = tryHost(cur);
                if (c != null) {
                    return c;
                }
            }
            Scan scan = scan();
            if (scan.connection != null) {
                return scan.connection;
            }
            // Nobody answers at all: fail now, as a single unreachable server does. Someone answers but is not a
            // usable primary (a standby being promoted, a refused one): wait for a primary up to the deadline.
            if (!scan.anyAnswered && scan.lastFailure != null && hosts.size() == 1) {
                throw scan.lastFailure;   // one host: the driver's own error, as without a locator
            }
            if (!scan.anyAnswered || closed || System.nanoTime() - deadline >= 0) {
                // The SQLSTATE of the last failure keeps a refused login a configuration error, not an outage.
                String state = scan.anyAnswered ? "08004" : scan.lastFailure != null ? scan.lastFailure.getSQLState() : "08001";
                throw new SQLException("no usable primary among " + hosts + ": " + describeStates(), state, scan.lastFailure);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a primary", "08001", e);
            }
        }
    }

    /** A checked connection to host {@code i} when it is an accepted primary, else null (its state updated). */
    private Connection tryHost(int i) {
        Connection c = null;
        try {
            c = open(i);
            Floor before = floor();
            Seen seen = check(c);
            if (accept(i, seen, before)) {
                return c;
            }
        } catch (SQLException e) {
            markDown(i, e);
        }
        closeQuietly(c);
        return null;
    }

    private record Scan(Connection connection, boolean anyAnswered, SQLException lastFailure) {
    }

    /**
     * Asks the hosts; takes the primary on the highest timeline that passes the checks, closing the rest. Hosts last
     * seen down are asked last (one that does not answer costs a connect timeout). With a timeline in memory the
     * first primary that passes is taken at once: the memory, not a comparison, keeps a stale one out, and the
     * background probe still compares them all. Without (a new instance) every host is asked first.
     */
    private Scan scan() {
        List<Object[]> primaries = new ArrayList<>();
        boolean anyAnswered = false;
        SQLException lastFailure = null;
        Floor before = floor();
        List<Integer> order = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < hosts.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparing(i -> states.get(hosts.get(i)).role() == Role.DOWN));
        }
        for (int i : order) {
            Connection c = null;
            try {
                c = open(i);
                Seen seen = check(c);
                anyAnswered = true;
                if (seen.inRecovery()) {
                    accept(i, seen, before);
                    closeQuietly(c);
                } else if (before.timeline() != 0 && accept(i, seen, before)) {
                    for (Object[] p : primaries) {
                        closeQuietly((Connection) p[2]);
                    }
                    return new Scan(c, true, lastFailure);
                } else {
                    primaries.add(new Object[] {i, seen, c});
                }
            } catch (SQLException e) {
                closeQuietly(c);
                markDown(i, e);
                lastFailure = e;
            }
        }
        primaries.sort(Comparator.comparing((Object[] p) -> ((Seen) p[1]), PrimaryLocator::newerFirst));
        Connection chosen = null;
        for (Object[] p : primaries) {
            Connection c = (Connection) p[2];
            if (chosen == null && accept((Integer) p[0], (Seen) p[1], before)) {
                chosen = c;
            } else {
                if (chosen != null) {
                    accept((Integer) p[0], (Seen) p[1], before);   // records the refusal of the older one
                }
                closeQuietly(c);
            }
        }
        return new Scan(chosen, anyAnswered, lastFailure);
    }

    private static int newerFirst(Seen a, Seen b) {
        if (a.timeline() != b.timeline()) {
            return Long.compare(b.timeline(), a.timeline());
        }
        return Long.compareUnsigned(b.flushLsn(), a.flushLsn());
    }

    /**
     * Decides about host {@code i} from what it said, remembering a primary's timeline and position: true when it
     * is a primary connections may go to. Logs and counts a change of its state.
     */
    private boolean accept(int i, Seen seen, Floor before) {
        String refusal = null;
        int previous = -1;
        synchronized (this) {
            if (seen.inRecovery()) {
                setState(i, Role.STANDBY, "in recovery, replayed " + WalPosition.formatLsn(seen.replayLsn()));
                standbyReplay[i] = seen.replayLsn();
                standbyReplayTimeline[i] = highestTimeline;
                if (current == i) {
                    current = -1;
                }
                return false;
            }
            if (systemId != 0 && seen.systemId() != systemId) {
                refusal = "claims to be a primary of another cluster (system identifier "
                        + Long.toUnsignedString(seen.systemId()) + ", this cluster's is " + Long.toUnsignedString(systemId) + ")";
            } else if (seen.timeline() < highestTimeline) {
                refusal = "claims to be a primary on timeline " + seen.timeline() + ", but a primary on timeline "
                        + highestTimeline + " was seen: a stale primary (an old primary back after a failover)";
            } else if (seen.timeline() == before.timeline() && Long.compareUnsigned(seen.flushLsn(), before.flushed()) < 0) {
                refusal = "claims to be a primary on timeline " + seen.timeline() + " at WAL "
                        + WalPosition.formatLsn(seen.flushLsn()) + ", behind " + WalPosition.formatLsn(before.flushed())
                        + " already flushed on that timeline (restored from an older copy, or a second primary)";
            }
            if (refusal != null) {
                if (current == i) {
                    current = -1;
                }
            } else {
                if (seen.timeline() > highestTimeline) {
                    if (highestTimeline != 0 && standbyReplayTimeline[i] == highestTimeline) {
                        // A standby of the old timeline was promoted: it left that timeline at or after what it had replayed.
                        forkFloors.merge(highestTimeline, standbyReplay[i], (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
                    }
                    highestTimeline = seen.timeline();
                    flushedOnHighest = seen.flushLsn();
                } else if (Long.compareUnsigned(seen.flushLsn(), flushedOnHighest) > 0) {
                    flushedOnHighest = seen.flushLsn();
                }
                systemId = seen.systemId();
                setState(i, Role.PRIMARY, "timeline " + seen.timeline());
                previous = lastAccepted;
                current = i;
                lastAccepted = i;
            }
            if (refusal != null && setState(i, Role.REFUSED, refusal)) {
                log.error("refusing database host {} for reads and writes: it {}", hosts.get(i), refusal);
                refusalCounter.run();
            }
        }
        if (refusal != null) {
            return false;
        }
        if (previous >= 0 && previous != i) {
            // Outside the lock: the pool retires its connections to the old primary.
            log.warn("primary is now {} (timeline {}), was {}", hosts.get(i), seen.timeline(), hosts.get(previous));
            onSwitch.accept(hosts.get(i));
        }
        return true;
    }

    private void markDown(int i, SQLException e) {
        synchronized (this) {
            setState(i, Role.DOWN, e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage()));
            if (current == i) {
                current = -1;
            }
        }
    }

    /** Sets host {@code i}'s state; true when its role changed. Holds this. */
    private boolean setState(int i, Role role, String detail) {
        HostState previous = states.put(hosts.get(i), new HostState(hosts.get(i), role, detail));
        return previous == null || previous.role() != role;
    }

    private Connection open(int i) throws SQLException {
        return DriverManager.getConnection(urls.get(i), properties);
    }

    private static Seen check(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CHECK_SQL)) {
            rs.next();
            boolean inRecovery = rs.getBoolean(1);
            long systemId = rs.getLong(2);
            String walTimeline = rs.getString(3);
            String flush = rs.getString(4);
            String replay = rs.getString(5);
            long checkpointTimeline = rs.getLong(6);
            long timeline = walTimeline != null ? Long.parseLong(walTimeline, 16) : checkpointTimeline;
            return new Seen(inRecovery, systemId, timeline, flush == null ? 0 : WalPosition.parseLsn(flush),
                    replay == null ? 0 : WalPosition.parseLsn(replay));
        }
    }

    /** Looks at every host in the background; retires the pool's connections when the primary changed. */
    private void probeAll() {
        try {
            List<Object[]> primaries = new ArrayList<>();
            Floor before = floor();
            for (int i = 0; i < hosts.size(); i++) {
                try {
                    if (probes[i] == null || probes[i].isClosed()) {
                        probes[i] = open(i);
                    }
                    Seen seen = check(probes[i]);
                    if (seen.inRecovery()) {
                        accept(i, seen, before);
                    } else {
                        primaries.add(new Object[] {i, seen});
                    }
                } catch (SQLException e) {
                    closeQuietly(probes[i]);
                    probes[i] = null;
                    markDown(i, e);
                }
            }
            primaries.sort(Comparator.comparing((Object[] p) -> ((Seen) p[1]), PrimaryLocator::newerFirst));
            for (Object[] p : primaries) {
                accept((Integer) p[0], (Seen) p[1], before);
            }
        } catch (RuntimeException e) {
            log.debug("primary probe failed: {}", e.toString());
        }
    }

    /**
     * Reads the replication mode from a connection to the primary and warns once when an acknowledged write can be
     * lost at failover (no synchronous standby, or {@code synchronous_commit} off or local).
     */
    public Durability readDurability(Connection primary) {
        Durability d;
        try (Statement s = primary.createStatement(); ResultSet rs = s.executeQuery(DURABILITY_SQL)) {
            rs.next();
            String names = rs.getString(1);
            String commit = rs.getString(2);
            long senders = rs.getLong(3);
            long sync = rs.getLong(4);
            long hidden = rs.getLong(5);
            String standbys = senders == 0 ? "no standby connected"
                    : hidden == senders ? senders + " standby(s) connected, sync state not visible to this role"
                    : sync + " of " + senders + " connected standby(s) synchronous";
            boolean lossy = names == null || names.isBlank() || commit.equals("off") || commit.equals("local");
            d = new Durability(names == null ? "" : names, commit, standbys, lossy);
        } catch (SQLException e) {
            d = new Durability("?", "?", "replication settings not readable: " + firstLine(String.valueOf(e.getMessage())), true);
        }
        boolean warn;
        synchronized (this) {
            durability = d;
            warn = d.writesCanBeLostAtFailover() && !durabilityWarned;
            durabilityWarned |= warn;
        }
        if (warn) {
            log.warn("writes acknowledged by the primary can be lost at a failover: {} (set synchronous_standby_names"
                    + " and synchronous_commit=on or remote_apply to keep them; see docs/failover.md)", d.describe());
        } else {
            log.debug("replication mode: {}", d.describe());
        }
        return d;
    }

    /** The last replication mode read, or null before the first. */
    public Durability durability() {
        return durability;
    }

    /** The current primary's host, or null when there is none right now. */
    public String primary() {
        int cur = current;
        return cur < 0 ? null : hosts.get(cur);
    }

    @Override
    public synchronized long currentTimeline() {
        return highestTimeline;
    }

    @Override
    public synchronized long forkFloor(long timeline) {
        if (timeline == highestTimeline) {
            return -1L;   // unsigned maximum: all of it
        }
        return forkFloors.getOrDefault(timeline, 0L);
    }

    /** The highest timeline a primary was seen on (0 before the first). */
    public synchronized long timeline() {
        return highestTimeline;
    }

    /** Every host's last state, in configuration order. */
    public synchronized List<HostState> states() {
        return List.copyOf(states.values());
    }

    /** Every host's state in one line ({@code host ROLE (detail); ...}), for messages. */
    public synchronized String describeStates() {
        StringBuilder b = new StringBuilder();
        for (HostState s : states.values()) {
            if (b.length() > 0) {
                b.append("; ");
            }
            appendHost(b, s.host(), s.role(), s.detail());
        }
        return b.toString();
    }

    /**
     * One host as messages show it, {@code host ROLE (detail)}: the format of {@link #describeStates} and of the
     * health answer's reason, which reads a {@code Topology} snapshot instead of this locator's live states.
     */
    public static StringBuilder appendHost(StringBuilder b, String host, Object role, String detail) {
        return b.append(host).append(' ').append(role).append(" (").append(detail).append(')');
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // a connection we give up on: nothing to report
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (prober != null) {
            prober.shutdownNow();
            try {
                prober.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = 0; i < probes.length; i++) {
            closeQuietly(probes[i]);
            probes[i] = null;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the primary locator connects with the URL's credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // the driver logs through java.util.logging; nothing to set
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Kept for the pool, which waits this long for its connection adder at shutdown; each connection's own
        // timeout is the URL's connectTimeout.
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
