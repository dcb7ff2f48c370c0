package com.airesumereview.db.spring;

import com.airesumereview.db.ReplicaReadCounts;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.verification.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code resumeReviewDb} component of {@code /actuator/health}: DOWN when the primary does not answer
 * {@code SELECT 1} within the timeout ({@link ResumeReviewDb#health(Duration)}), else UP with the latency, the
 * schema verdict against the bundled snapshot and how reads were routed to replicas.
 * <pre>{@code
 * "resumeReviewDb": {"status": "UP", "details": {"latencyMs": 1.3, "schema": "MATCHES",
 *     "schemaCheckedAt": "2026-12-03T09:00:00Z", "replicas": {"replicaReads": 0, ...}}}
 * }</pre>
 * The schema comparison takes a few hundred milliseconds, so its verdict is reused for
 * {@code resume-review-db.health.schema-check-interval} (default 10 minutes); the first probe runs it. A BREAKING
 * verdict is reported, not turned into DOWN: whether a service may run on a drifted schema is decided at start-up
 * ({@code resume-review-db.schema-check}), not by a load balancer taking every instance out at once.
 */
public class ResumeReviewDbHealthIndicator implements HealthIndicator {
    private final ResumeReviewDb db;
    private final Duration timeout;
    private final Duration schemaCheckInterval;
    private final Clock clock;
    private volatile SchemaVerdict schema;

    private record SchemaVerdict(Verdict verdict, Instant checkedAt) {
    }

    /**
     * @param db                  the library entry point to probe
     * @param timeout             how long to wait for {@code SELECT 1}, 1 ms..1 min
     * @param schemaCheckInterval how long a schema verdict is reused
     */
    public ResumeReviewDbHealthIndicator(ResumeReviewDb db, Duration timeout, Duration schemaCheckInterval) {
        this(db, timeout, schemaCheckInterval, Clock.systemUTC());
    }

    ResumeReviewDbHealthIndicator(ResumeReviewDb db, Duration timeout, Duration schemaCheckInterval, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.schemaCheckInterval = Objects.requireNonNull(schemaCheckInterval, "schemaCheckInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Health health() {
        com.airesumereview.db.Health probe;
        try {
            probe = db.health(timeout);
        } catch (RuntimeException e) {   // closed while the context shuts down
            return Health.down().withDetail("error", e.getMessage()).build();
        }
        Health.Builder health = probe.up() ? Health.up() : Health.down();
        health.withDetail("latencyMs", Math.round(probe.latency().toNanos() / 100_000.0) / 10.0);
        probe.reason().ifPresent(reason -> health.withDetail("error", reason));
        com.airesumereview.db.Topology topology = probe.topology();
        topology.primary().ifPresent(primary -> health.withDetail("primary", primary));
        topology.replication().ifPresent(mode -> health.withDetail("replication", mode));
        if (!topology.hosts().isEmpty()) {
            // The timeline tells an operator which promotion the pool is on (a stale primary is on an older one).
            if (topology.timeline() > 0) {
                health.withDetail("timeline", topology.timeline());
            }
            health.withDetail("writesCanBeLostAtFailover", topology.writesCanBeLostAtFailover());
            Map<String, String> hosts = new LinkedHashMap<>();
            topology.hosts().forEach(h -> hosts.put(h.address(), h.role() + ": " + h.detail()));
            health.withDetail("hosts", hosts);
        }
        if (probe.up()) {
            try {
                SchemaVerdict verdict = schemaVerdict();
                health.withDetail("schema", verdict.verdict().name())
                        .withDetail("schemaCheckedAt", verdict.checkedAt().toString());
            } catch (RuntimeException e) {
                health.withDetail("schema", "UNKNOWN").withDetail("schemaError", e.getMessage());
            }
        }
        ReplicaReadCounts counts = db.replicaReadCounts();
        Map<String, Long> replicas = new LinkedHashMap<>();
        replicas.put("replicaReads", counts.replicaReads());
        replicas.put("primaryReadsBehind", counts.primaryReadsBehind());
        replicas.put("primaryReadsUnavailable", counts.primaryReadsUnavailable());
        replicas.put("retriedReads", counts.retriedReads());
        replicas.put("replicaStateChanges", counts.replicaStateChanges());
        return health.withDetail("replicas", replicas).build();
    }

    /** The cached verdict, compared again when older than the interval; one probe at a time compares. */
    private SchemaVerdict schemaVerdict() {
        SchemaVerdict current = schema;
        Instant now = clock.instant();
        if (current != null && current.checkedAt().plus(schemaCheckInterval).isAfter(now)) {
            return current;
        }
        synchronized (this) {
            current = schema;
            if (current == null || !current.checkedAt().plus(schemaCheckInterval).isAfter(now)) {
                current = new SchemaVerdict(db.verifySchema().verdict(), clock.instant());
                schema = current;
            }
            return current;
        }
    }
}
