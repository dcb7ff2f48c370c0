package com.airesumereview.db.internal;

import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.ReplicaReadCounts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends reads to streaming replicas, and to the primary whenever no replica has what the caller may see.
 *
 * <h2>Read-your-writes</h2>
 * After {@link #written()} the calling thread holds the primary's position ({@code pg_current_wal_insert_lsn()},
 * taken after the commit, with the cluster's system identifier). A replica serves that thread's reads only once its
 * replay position ({@code pg_last_wal_replay_lsn()}) is at or after it; else the read goes to the primary.
 * {@link #consistencyToken()} hands the position out as an opaque string and {@link #readingAfter} takes one
 * back, for a caller whose next read runs on another thread, request or instance.
 *
 * <h2>Staleness</h2>
 * A read with no earlier write accepts a replica whose data is at most {@code maxLag} old: a replica that has
 * replayed everything it received from a connected WAL receiver is current; otherwise its data is as old as
 * {@code clock_timestamp() - pg_last_xact_replay_timestamp()} (an idle primary commits nothing, so the first rule
 * keeps an idle pair usable).
 *
 * <h2>No round trip per read</h2>
 * A background probe per replica asks for its state every {@code probeInterval} (one query); reads decide from
 * the last probe without I/O. This never breaks the guarantee: a replica's replay position only grows, so a
 * cached position is a lower bound and says "caught up" only when the replica really is; the cached freshness is
 * a point in time, so its age keeps growing between probes; a probe older than {@code probeExpiry} is not used
 * at all (a replica rebuilt in that window could have gone back in time).
 *
 * <h2>Faults</h2>
 * A replica that cannot be reached, has been promoted (no longer in recovery), belongs to another cluster
 * (system identifier differs from the primary's or the token's), or lags beyond {@code maxLag} serves no read;
 * the read goes to the primary, one log line marks each change of a replica's state, and {@link #counts()} counts
 * them. The probe keeps running, so a replica that comes back serves again. A primary that cannot be reached
 * raises {@link SQLException} from {@link #readConnection()}, which the engine reports as
 * {@link DatabaseUnavailableException}.
 */
public final class ReplicaRouter implements ReadRouting {

    /** Default time between two probes of one replica. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(50);

    private static final String PROBE_SQL = "SELECT pg_is_in_recovery(),"
            + " (SELECT system_identifier FROM pg_control_system()),"
            + " pg_last_wal_replay_lsn()::text,"
            + " pg_last_wal_receive_lsn()::text,"
            + " EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()),"
            + " EXISTS (SELECT 1 FROM pg_stat_wal_receiver),"
            // The timeline it receives (hidden from unprivileged roles on some versions: then the last restartpoint's,
            // which is never newer than what it replays, so it can only make it refuse, never serve wrongly).
            + " COALESCE((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))";
    // The insert position, not pg_current_wal_lsn() (the write position): with synchronous_commit = off a commit
    // returns before its record is written out, so only the insert position is sure to be at or after it.
    private static final String POSITION_SQL = "SELECT pg_current_wal_insert_lsn()::text, (SELECT system_identifier FROM pg_control_system()),"
            + " substr(pg_walfile_name(pg_current_wal_insert_lsn()), 1, 8)";

    /** A replica to route to: a name for logs (never credentials) and its data source; {@code owned} is closed with the router (may be null). */
    public record Replica(String name, DataSource dataSource, AutoCloseable owned) {
        public Replica {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dataSource, "dataSource");
        }
    }

    /** What a replica's last probe found. */
    public enum State {
        /** Not probed yet: serves nothing. */
        UNKNOWN,
        /** In recovery, of the primary's cluster, within the lag limit. */
        SERVING,
        /** In recovery, but its data is older than the lag limit: serves only callers whose position it has replayed. */
        LAGGING,
        /** Cannot be reached. */
        DOWN,
        /** Not in recovery any more (promoted): a separate timeline, never read from. */
        PROMOTED,
        /** Another cluster's replica (system identifier differs from the primary's). */
        FOREIGN
    }

    /** One probe's result; immutable, replaced as a whole. */
    private record Probe(State state, long systemId, long timeline, long replayLsn, long freshAsOfNanos,
                         long probedAtNanos, String detail) {
        static Probe unknown() {
            return new Probe(State.UNKNOWN, 0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE, "not probed yet");
        }

        boolean serves(WalPosition required, long now, long maxLagNanos, long expiryNanos, TimelineHistory history) {
            if ((state != State.SERVING && state != State.LAGGING) || now - probedAtNanos > expiryNanos) {
                return false;
            }
            if (required != null) {
                return holds(systemId, timeline, replayLsn, required, history);
            }
            return now - freshAsOfNanos <= maxLagNanos;
        }
    }

    /**
     * True when a server of cluster {@code systemId} that has replayed to {@code lsn} on {@code timeline} holds
     * {@code required}: the same cluster, far enough, and {@code required} is in its history. A position of an older
     * timeline is in it only up to where the history left that timeline ({@link TimelineHistory#forkFloor}); past
     * that point the write may have been lost at a failover, however far the LSN has grown since.
     */
    static boolean holds(long systemId, long timeline, long lsn, WalPosition required, TimelineHistory history) {
        if (required.systemId() != systemId || Long.compareUnsigned(lsn, required.lsn()) < 0) {
            return false;
        }
        if (required.timeline() == 0 || timeline == 0 || timeline == required.timeline()) {
            return true;
        }
        if (timeline < required.timeline() || history == null) {
            return false;
        }
        return Long.compareUnsigned(required.lsn(), history.forkFloor(required.timeline())) <= 0;
    }

    private final class Target {
        final Replica replica;
        volatile Probe probe = Probe.unknown();
        /** When a probe last found it caught up with a connected WAL receiver; reset when it leaves service. Probe thread only. */
        long lastCaughtUpNanos = Long.MIN_VALUE / 2;
        final LongAdder reads = new LongAdder();

        Target(Replica replica) {
            this.replica = replica;
        }

        /** Installs a new probe result, logging and counting a change of state. */
        synchronized void update(Probe next) {
            Probe previous = probe;
            probe = next;
            if (previous.state != next.state) {
                stateChanges.increment();
                if (next.state == State.SERVING) {
                    if (previous.state != State.UNKNOWN) {   // quiet at start-up: only a recovery is news
                        log.info("read replica {}: {} -> SERVING, reads go to it again", replica.name(), previous.state);
                    }
                } else {
                    log.warn("read replica {}: {} -> {} ({}); reads it cannot serve go to the primary",
                            replica.name(), previous.state, next.state, next.detail);
                }
            }
        }
    }

    /** What the calling thread must see: its own last write and, inside {@link #readingAfter}, the token's position. */
    private static final class Caller {
        WalPosition lastWrite;
        /** A write committed but its position could not be taken: take it before the next read. */
        boolean positionPending;
        WalPosition scoped;

        WalPosition required() {
            return WalPosition.later(lastWrite, scoped);
        }
    }

    private final DataSource primary;
    /** The primary's timeline history, or null when unknown (a caller's data source): then timelines are not compared. */
    private final TimelineHistory history;
    private final Logger log;
    private final List<Target> targets;
    private final long maxLagNanos;
    private final long probeExpiryNanos;
    private final ThreadLocal<Caller> callers = ThreadLocal.withInitial(Caller::new);
    /** The replica the calling thread's last read connection came from, or null for the primary. */
    private final ThreadLocal<Target> lastTarget = new ThreadLocal<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService prober;
    private volatile long primarySystemId;
    private volatile boolean primarySystemIdKnown;

    private final LongAdder primaryReadsNoReplicaCaughtUp = new LongAdder();
    private final LongAdder primaryReadsNoReplicaAvailable = new LongAdder();
    private final LongAdder retriedReads = new LongAdder();
    private final LongAdder stateChanges = new LongAdder();

    /**
     * @param primary       where writes go and reads fall back to
     * @param replicas      streaming replicas of {@code primary}, at least one
     * @param maxLag        staleness a read with no earlier write accepts
     * @param probeInterval time between two probes of one replica
     */
    public ReplicaRouter(DataSource primary, List<Replica> replicas, Duration maxLag, Duration probeInterval) {
        this(primary, replicas, maxLag, probeInterval, LoggerFactory.getLogger(ReplicaRouter.class));
    }

    /** Like the other constructor, logging state changes to {@code log} (tests record them). */
    public ReplicaRouter(DataSource primary, List<Replica> replicas, Duration maxLag, Duration probeInterval, Logger log) {
        this(primary, null, replicas, maxLag, probeInterval, log);
    }

    /**
     * Like the other constructors, with what is known of the primary's timelines ({@code history}, null when
     * unknown), so a consistency token of an older timeline is honoured only where it survived the failover and
     * refused with {@link com.airesumereview.db.ConsistencyLostException} where it may not have.
     */
    public ReplicaRouter(DataSource primary, TimelineHistory history, List<Replica> replicas, Duration maxLag,
                         Duration probeInterval, Logger log) {
        this.history = history;
        this.log = Objects.requireNonNull(log, "log");
        this.primary = Objects.requireNonNull(primary, "primary");
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("a ReplicaRouter needs at least one replica; use ReadRouting.primaryOnly");
        }
        List<Target> list = new ArrayList<>();
        for (Replica r : replicas) {
            list.add(new Target(r));
        }
        this.targets = List.copyOf(list);
        this.maxLagNanos = maxLag.toNanos();
        // A probe this old is not trusted: long enough to ride out a slow probe, far shorter than rebuilding a replica.
        this.probeExpiryNanos = Math.max(probeInterval.multipliedBy(20).toNanos(), Duration.ofSeconds(1).toNanos());
        AtomicInteger threads = new AtomicInteger();
        this.prober = Executors.newScheduledThreadPool(targets.size(), r -> {
            Thread t = new Thread(r, "resume-review-db-replica-probe-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (Target t : targets) {
            prober.scheduleWithFixedDelay(() -> probe(t), 0, probeInterval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public Connection readConnection() throws SQLException {
        Caller caller = callers.get();
        if (caller.positionPending) {
            try {
                caller.lastWrite = WalPosition.later(caller.lastWrite, primaryPosition());
                caller.positionPending = false;
            } catch (SQLException e) {
                // The position of the caller's write is unknown: only the primary is sure to have it.
                lastTarget.remove();
                primaryReadsNoReplicaCaughtUp.increment();
                return primary.getConnection();
            }
        }
        WalPosition required = caller.required();
        long now = System.nanoTime();
        int n = targets.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        boolean anyAvailable = false;
        for (int i = 0; i < n; i++) {
            Target t = targets.get((start + i) % n);
            Probe p = t.probe;
            anyAvailable |= p.state == State.SERVING || p.state == State.LAGGING;
            if (!p.serves(required, now, maxLagNanos, probeExpiryNanos, history)) {
                continue;
            }
            try {
                Connection c = t.replica.dataSource().getConnection();
                t.reads.increment();
                lastTarget.set(t);
                return c;
            } catch (SQLException e) {
                t.update(down(e));
            }
        }
        lastTarget.remove();
        if (caller.lastWrite != null) {
            try {
                requireOnPrimary(caller.lastWrite, history);
            } catch (com.airesumereview.db.ConsistencyLostException e) {
                // The thread is told once; a pooled thread's later reads are not refused for the same lost write.
                caller.lastWrite = null;
                throw e;
            }
        }
        requireOnPrimary(caller.scoped, history);
        (anyAvailable ? primaryReadsNoReplicaCaughtUp : primaryReadsNoReplicaAvailable).increment();
        return primary.getConnection();
    }

    @Override
    public boolean readFailed(SQLException failure) {
        Target t = lastTarget.get();
        lastTarget.remove();
        if (t == null) {
            return false;
        }
        if (isConnectionFailure(failure)) {
            t.update(down(failure));
            retriedReads.increment();
            return true;
        }
        if (isRecoveryConflict(failure)) {
            // Replay cancelled the query (hot standby conflict): the replica is fine, the read may simply run again.
            retriedReads.increment();
            return true;
        }
        return false;
    }

    /**
     * Refuses a read that must see {@code required} when the current primary is not known to hold it: written on an
     * older timeline past the point where the primary's history left it (a failover may have lost it). Does nothing
     * without a position, a timeline or a {@code history}.
     *
     * @throws com.airesumereview.db.ConsistencyLostException when the primary may not hold {@code required}
     */
    public static void requireOnPrimary(WalPosition required, TimelineHistory history) {
        if (required == null || history == null || required.timeline() == 0) {
            return;
        }
        long current = history.currentTimeline();
        // The primary holds everything of its own timeline; of an older one only what preceded the fork.
        if (current != 0 && !holds(required.systemId(), current, -1L, required, history)) {
            throw new com.airesumereview.db.ConsistencyLostException("the writes a consistency token covers ("
                    + required + ") are not known to be on the current primary (timeline " + current + "): a"
                    + " failover came after them and may have lost them; read without the token");
        }
    }

    /** {@code canceling statement due to conflict with recovery}: SQLSTATE 40001 on a standby. */
    static boolean isRecoveryConflict(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** Connection exceptions (class 08), the server shutting down or starting (57P01..57P03). */
    static boolean isConnectionFailure(SQLException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void written() {
        Caller caller = callers.get();
        try {
            caller.lastWrite = WalPosition.later(caller.lastWrite, primaryPosition());
        } catch (SQLException e) {
            // The write committed; its position is taken before this thread's next read instead.
            caller.positionPending = true;
        }
    }

    /**
     * The position the calling thread's reads must see, as an opaque token: its last write's, or, when it wrote
     * nothing, the primary's current position (one round trip), so a caller that saw data on the primary never
     * reads older data with this token.
     *
     * @throws DatabaseUnavailableException when the position must come from the primary and it cannot be reached
     */
    public String consistencyToken() {
        Caller caller = callers.get();
        try {
            if (caller.positionPending) {
                caller.lastWrite = WalPosition.later(caller.lastWrite, primaryPosition());
                caller.positionPending = false;
            }
            WalPosition required = caller.required();
            return (required != null ? required : primaryPosition()).token();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot read the primary's WAL position for a consistency token: "
                    + e.getMessage(), e.getSQLState(), e);
        }
    }

    /**
     * Runs {@code work} so that every read it makes on this thread sees at least {@code token}'s position (and the
     * thread's own writes), then restores the thread's previous scope.
     *
     * @throws com.airesumereview.db.ValidationException when {@code token} is not a consistency token
     */
    public <T> T readingAfter(String token, Supplier<T> work) {
        WalPosition position = WalPosition.fromToken(token);
        Caller caller = callers.get();
        WalPosition previous = caller.scoped;
        caller.scoped = WalPosition.later(previous, position);
        try {
            return work.get();
        } finally {
            caller.scoped = previous;
        }
    }

    /** The primary's current WAL position, learning its system identifier on the way. */
    private WalPosition primaryPosition() throws SQLException {
        try (Connection c = primary.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(POSITION_SQL)) {
            rs.next();
            long lsn = WalPosition.parseLsn(rs.getString(1));
            long systemId = rs.getLong(2);
            long timeline = Long.parseLong(rs.getString(3), 16);
            primarySystemId = systemId;
            primarySystemIdKnown = true;
            return new WalPosition(systemId, timeline, lsn);
        }
    }

    private void probe(Target t) {
        if (!primarySystemIdKnown) {
            try {
                primaryPosition();
            } catch (SQLException e) {
                // Until the primary says which cluster it is, no replica can be shown to belong to it: serve nothing.
                t.update(new Probe(State.UNKNOWN, 0, 0, 0, Long.MIN_VALUE, System.nanoTime(), "primary not reached yet"));
                return;
            }
        }
        long start = System.nanoTime();
        Probe result;
        try (Connection c = t.replica.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(PROBE_SQL)) {
            rs.next();
            boolean inRecovery = rs.getBoolean(1);
            long systemId = rs.getLong(2);
            String replay = rs.getString(3);
            String receive = rs.getString(4);
            double lagSeconds = rs.getDouble(5);
            boolean lagKnown = !rs.wasNull();
            boolean receiving = rs.getBoolean(6);
            long timeline = rs.getLong(7);
            if (!inRecovery || replay == null) {
                result = new Probe(State.PROMOTED, systemId, 0, 0, Long.MIN_VALUE, start, "pg_is_in_recovery() is false;"
                        + " written to when it is one of the configured hosts");
            } else if (systemId != primarySystemId) {
                result = new Probe(State.FOREIGN, systemId, 0, 0, Long.MIN_VALUE, start, "system identifier "
                        + Long.toUnsignedString(systemId) + ", the primary's is " + Long.toUnsignedString(primarySystemId));
            } else {
                long replayLsn = WalPosition.parseLsn(replay);
                boolean caughtUp = receiving && receive != null && WalPosition.parseLsn(receive) == replayLsn;
                long freshAsOf;
                if (caughtUp) {
                    freshAsOf = start;
                    t.lastCaughtUpNanos = start;
                } else {
                    // Behind what it received: its data is at least as fresh as when it was last caught up, or as
                    // its last replayed commit. The first rule keeps WAL without commits (vacuum, checkpoints) on
                    // an idle primary from looking like a long lag.
                    long byCommit = lagKnown ? start - (long) (Math.max(0, lagSeconds) * 1e9) : Long.MIN_VALUE / 2;
                    freshAsOf = Math.max(byCommit, t.lastCaughtUpNanos);
                }
                boolean lagging = start - freshAsOf > maxLagNanos;
                result = new Probe(lagging ? State.LAGGING : State.SERVING, systemId, timeline, replayLsn, freshAsOf, start,
                        lagging ? (lagKnown ? String.format("replay lag %.1f s", lagSeconds) : "nothing replayed yet") : "");
            }
        } catch (SQLException | RuntimeException e) {
            result = down(e);
        }
        if (result.state != State.SERVING && result.state != State.LAGGING) {
            t.lastCaughtUpNanos = Long.MIN_VALUE / 2;
        }
        t.update(result);
    }

    private static Probe down(Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Probe(State.DOWN, 0, 0, 0, Long.MIN_VALUE, System.nanoTime(), reason);
    }

    /** Reads served by replicas and by the primary since start, and replica state changes; for metrics and tests. */
    public ReplicaReadCounts counts() {
        long replicaReads = 0;
        for (Target t : targets) {
            replicaReads += t.reads.sum();
        }
        return new ReplicaReadCounts(replicaReads, primaryReadsNoReplicaCaughtUp.sum(), primaryReadsNoReplicaAvailable.sum(),
                retriedReads.sum(), stateChanges.sum());
    }

    /** Each replica's state as of its last probe, by name, in configuration order. */
    public java.util.Map<String, State> states() {
        java.util.Map<String, State> states = new java.util.LinkedHashMap<>();
        for (Target t : targets) {
            states.put(t.replica.name(), t.probe.state);
        }
        return states;
    }

    /** Stops probing and closes the replica pools the router owns; the primary is left to its owner. */
    @Override
    public void close() {
        prober.shutdownNow();
        try {
            prober.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Target t : targets) {
            if (t.replica.owned() != null) {
                try {
                    t.replica.owned().close();
                } catch (Exception e) {
                    log.warn("closing read replica {}: {}", t.replica.name(), e.getMessage());
                }
            }
        }
    }
}
