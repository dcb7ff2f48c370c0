package com.airesumereview.db;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link ResumeReviewDb#health(Duration)}: whether one pooled connection answered {@code SELECT 1}
 * within the timeout, how long it took, and why not when it did not.
 * <pre>{@code
 * Health h = db.health(Duration.ofSeconds(2));
 * return h.up() ? ok() : unavailable(h.reason().orElse(""));
 * }</pre>
 *
 * @param up      true when the database answered in time
 * @param latency from the call to the answer (up), or to giving up (down)
 * @param reason   why it is down (the timeout, or the error's type and message, never a password); empty when up
 * @param topology the hosts, the primary, a refused stale primary and the replication mode, as far as known
 */
public record Health(boolean up, Duration latency, Optional<String> reason, Topology topology) {
    /**
     * Checks the parts are present and that only a down result has a reason.
     *
     * @param up       true when the database answered in time
     * @param latency  from the call to the answer (up), or to giving up (down)
     * @param reason   why it is down, never a password; empty exactly when up
     * @param topology the hosts, the primary and the replication mode, as far as known
     * @throws ValidationException when {@code reason} is present for an up result or empty for a down one
     */
    public Health {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(topology, "topology");
        if (up == reason.isPresent()) {
            throw new ValidationException("health.reason", "a reason goes with down, and only with down",
                    up + "/" + reason.isPresent());
        }
    }

    /**
     * A result without topology ({@link Topology#unknown()}).
     *
     * @param up      true when the database answered in time
     * @param latency from the call to the answer (up), or to giving up (down)
     * @param reason  why it is down, never a password; empty exactly when up
     * @throws ValidationException when {@code reason} is present for an up result or empty for a down one
     */
    public Health(boolean up, Duration latency, Optional<String> reason) {
        this(up, latency, reason, Topology.unknown());
    }

    static Health answered(Duration latency, Topology topology) {
        return new Health(true, latency, Optional.empty(), topology);
    }

    static Health unanswered(Duration latency, String reason, Topology topology) {
        return new Health(false, latency, Optional.of(reason), topology);
    }
}
