package com.airesumereview.db;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where writes go and how safe an acknowledged write is: the configured hosts and what each is, the timeline of the
 * primary, and the replication mode it runs with. Part of {@link ResumeReviewDb#health(java.time.Duration)}.
 * <pre>{@code
 * Topology t = db.health(Duration.ofSeconds(2)).topology();
 * if (t.writesCanBeLostAtFailover()) { ... page the operator: t.replication() ... }
 * t.hosts().stream().filter(h -> h.role() == Topology.Role.REFUSED).forEach(h -> log.error("{}", h));
 * }</pre>
 *
 * @param primary                   the host writes go to now ({@code host:port}); empty when none is usable, or
 *                                  when the service passed its own data source
 * @param timeline                  the highest timeline a primary was seen on (a promotion starts a higher one);
 *                                  0 when unknown
 * @param hosts                     each configured host and its state, in configuration order; empty for a
 *                                  service's own data source
 * @param replication               the primary's {@code synchronous_standby_names}, {@code synchronous_commit} and
 *                                  connected standbys, as one line; empty when it could not be read
 * @param writesCanBeLostAtFailover true when a write the primary acknowledged may be missing on a promoted standby
 *                                  (no synchronous standby, {@code synchronous_commit} off or local, or unknown)
 */
public record Topology(Optional<String> primary, long timeline, List<Host> hosts, Optional<String> replication,
                       boolean writesCanBeLostAtFailover) {

    /**
     * Checks the parts are present; copies the host list.
     *
     * @param primary                   the host writes go to now ({@code host:port}); empty when none is usable
     * @param timeline                  the highest timeline a primary was seen on; 0 when unknown
     * @param hosts                     each configured host and its state, in configuration order; copied
     * @param replication               the primary's replication settings and connected standbys, as one line;
     *                                  empty when it could not be read
     * @param writesCanBeLostAtFailover true when a write the primary acknowledged may be missing on a promoted standby
     */
    public Topology {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(replication, "replication");
        hosts = List.copyOf(hosts);
    }

    /**
     * Nothing known (the check did not get that far).
     *
     * @return no primary, timeline 0, no hosts, no replication line, and writes counted as losable at failover
     */
    public static Topology unknown() {
        return new Topology(Optional.empty(), 0, List.of(), Optional.empty(), true);
    }

    /** What a configured host is, as last seen. */
    public enum Role {
        /** Not asked yet. */
        UNKNOWN,
        /** The primary writes go to. */
        PRIMARY,
        /** A standby (in recovery). */
        STANDBY,
        /** Not reachable. */
        DOWN,
        /**
         * Claims to be a primary, but serves neither reads nor writes: on an older timeline than a primary seen
         * before (an old primary back after a failover), behind what was already flushed, or of another cluster.
         */
        REFUSED
    }

    /**
     * One configured host.
     *
     * @param address {@code host:port}
     * @param role    what it is
     * @param detail  why (the refusal, the connection error, the timeline), for people
     */
    public record Host(String address, Role role, String detail) {
        /**
         * Checks the parts are present.
         *
         * @param address {@code host:port}
         * @param role    what it is
         * @param detail  why (the refusal, the connection error, the timeline), for people
         */
        public Host {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
