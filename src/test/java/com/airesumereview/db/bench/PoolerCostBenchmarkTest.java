package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.production.PgBouncer;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the pooler setting costs per call: the library direct to PostgreSQL with pgJDBC's defaults (server-side
 * prepared statements from the 5th use), direct with {@code pooler(TRANSACTION)} (every statement unnamed, the
 * driver's query timeout), and through a transaction-pooling PgBouncer 1.18 with {@code pooler(TRANSACTION)}.
 * {@code bench.pooler.forks} JVMs ({@link PoolerCostFork}), each with 20,000 warm-up calls per side and then
 * {@code bench.pooler.calls} timed ones, one thread, interleaved; the report gives each side's median of the
 * forks' medians and their spread (lowest and highest fork median), to {@code target/bench/pooler-cost.md}:
 * {@code mvn -B verify -Pbench -DskipITs -Dtest=PoolerCostBenchmarkTest}.
 *
 * <p>Honest limits: PostgreSQL, PgBouncer and the JVM share one machine's cores, so the PgBouncer hop is a loopback
 * hop plus PgBouncer's own CPU on those cores; a network between service, pooler and server adds its round trips.
 */
@Tag("bench")
@ExtendWith(SnapshotDatabaseExtension.class)
class PoolerCostBenchmarkTest {
    private static final int FORKS = Integer.getInteger("bench.pooler.forks", 3);
    private static final int WARMUP = Integer.getInteger("bench.pooler.warmup", 20_000);
    private static final int CALLS = Integer.getInteger("bench.pooler.calls", 10_000);

    @Test
    void perCallCostDirectVersusNoServerPreparesVersusPgBouncer(ProvisionedDatabase database) throws Exception {
        User user;
        try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
            user = db.users().create(TestUsers.newUser());
        }
        Map<String, List<double[]>> bySide = new LinkedHashMap<>();
        try (PgBouncer bouncer = PgBouncer.transactionPooling(database.url())) {
            for (int fork = 0; fork < FORKS; fork++) {
                SeparateJvm.Outcome out = SeparateJvm.run(List.of("-Xmx256m"), PoolerCostFork.class.getName(),
                        List.of(database.url().jdbcUrl(), bouncer.through(database.url()).jdbcUrl(), database.url().user(),
                                database.url().password() == null ? "-" : database.url().password(),
                                user.id().toString(), String.valueOf(WARMUP), String.valueOf(CALLS)), Map.of(), 1800);
                assertThat(out.exitCode()).as("fork %d: %s %s", fork, out.stdoutTail(), out.stderrTail()).isZero();
                for (String line : out.stdoutTail().split("\n")) {
                    String[] f = line.trim().split(" ");
                    if (f.length == 4 && f[0].matches("[a-z_A-Z0-9]+") && f[1].matches("[0-9.]+")) {
                        bySide.computeIfAbsent(f[0], k -> new ArrayList<>())
                                .add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
                    }
                }
            }
        }
        assertThat(bySide).hasSize(3).allSatisfy((side, forks) -> assertThat(forks).hasSize(FORKS));
        StringBuilder md = new StringBuilder("| side | median of fork medians (µs) | fork medians, low..high (µs) |"
                + " median of fork p90s (µs) |\n|---|---|---|---|\n");
        StringBuilder json = new StringBuilder("{\"run\": {\"forks\": " + FORKS + ", \"warmupCallsPerSide\": " + WARMUP
                + ", \"timedCallsPerSide\": " + CALLS + ", \"date\": \"" + Instant.now() + "\", \"cores\": "
                + Runtime.getRuntime().availableProcessors() + "}, \"sides\": [");
        boolean first = true;
        for (Map.Entry<String, List<double[]>> e : bySide.entrySet()) {
            double[] medians = e.getValue().stream().mapToDouble(v -> v[0]).sorted().toArray();
            double[] p90s = e.getValue().stream().mapToDouble(v -> v[1]).sorted().toArray();
            md.append(String.format("| %s | %.1f | %.1f..%.1f | %.1f |%n", e.getKey(), medians[medians.length / 2],
                    medians[0], medians[medians.length - 1], p90s[p90s.length / 2]));
            json.append(first ? "" : ", ").append(String.format(java.util.Locale.ROOT,
                    "{\"side\": \"%s\", \"forkMediansUs\": %s, \"forkP90sUs\": %s}", e.getKey(),
                    java.util.Arrays.toString(medians), java.util.Arrays.toString(p90s)));
            first = false;
        }
        json.append("]}\n");
        Path dir = Path.of(System.getProperty("resume-review-db.project-dir", "."), "target", "bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pooler-cost.md"), md, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("pooler-cost.json"), json, StandardCharsets.UTF_8);
        System.out.print(md);
    }
}
