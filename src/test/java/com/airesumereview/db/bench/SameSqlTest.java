package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The benchmark's JDBC baseline sends, character for character, the SQL the library sends (and the same
 * transaction calls), so the benchmark compares execution, not two different queries. Runs in the default suite:
 * when the library's SQL changes, this fails and prints the library's new statements to copy into
 * {@link JdbcBaseline}. Each benchmark fork checks the same before it times a scenario.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class SameSqlTest {
    private static final int CALLS = 8;

    @Test
    void everyBaselineSendsTheLibrarysSqlAndReadsTheSameRows(ProvisionedDatabase db) {
        DataSource ds = db.dataSource();
        RecordingDataSource recorder = new RecordingDataSource(ds);
        Scenarios.Fixture data = new Scenarios.Fixture(ds, ResumeReviewDb.create(ds), CALLS + 2, CALLS, 200);
        List<Scenario> scenarios = Scenarios.all(data, ResumeReviewDb.create(recorder.dataSource()),
                new JdbcBaseline(recorder.dataSource()));
        SoftAssertions softly = new SoftAssertions();
        for (Scenario s : scenarios) {
            ForkMain.SqlCheck check = ForkMain.SqlCheck.of(s, recorder, CALLS);
            softly.assertThat(check.library()).as("%s: statements the library sent", s.name()).isNotEmpty();
            softly.assertThat(check.baseline())
                    .as("%s: the baseline (JdbcBaseline) must send what the library sent; library:%n  %s%n",
                            s.name(), String.join("\n  ", check.library()))
                    .containsExactlyElementsOf(check.library());
            softly.assertThat(check.sameResult()).as("%s: both sides read the same result", s.name()).isTrue();
        }
        softly.assertAll();
        assertThat(scenarios).extracting(Scenario::name).doesNotHaveDuplicates();
    }

    /** The queue benchmark's baseline claim (QueueClaimFork) is the claim statement the library sends. */
    @Test
    void queueBaselineSendsTheLibrarysClaimStatement(ProvisionedDatabase db) {
        DataSource ds = db.dataSource();
        BenchData.execute(ds, "INSERT INTO users (email, password_hash, first_name, last_name)"
                + " VALUES ('same-sql-queue@example.com', 'x', 'Queue', 'Check')");
        BenchData.execute(ds, "INSERT INTO analysis_requests (user_id, original_filename, file_path, file_size_bytes,"
                + " mime_type, status, created_at) SELECT (SELECT id FROM users), 'r' || g || '.pdf', 'u/' || g,"
                + " 1000, 'application/pdf', 'pending', now() - interval '1 hour' + g * interval '1 second'"
                + " FROM generate_series(1, 4) g");
        RecordingDataSource recorder = new RecordingDataSource(ds);
        ResumeReviewDb library = ResumeReviewDb.create(recorder.dataSource());
        // A claim probes the low-water mark first when the mark is unknown or older than a second, then claims:
        // the claim is the last statement a call sends.
        List<String> first = recorder.record(() -> library.analyses().claimNextPending().orElseThrow());
        List<String> second = recorder.record(() -> library.analyses().claimNextPending().orElseThrow());
        assertThat(first).as("the library's first claim: probe, then claim").hasSize(2);
        String claim = second.get(second.size() - 1);
        assertThat(first.get(1)).as("the claim statement of both calls").isEqualTo(claim);
        JdbcBaseline jdbc = new JdbcBaseline(recorder.dataSource());
        List<String> baseline = recorder.record(() -> jdbc.claimPending(Instant.EPOCH).orElseThrow());
        assertThat(baseline).as("JdbcBaseline.claimPending must send the library's claim; library:%n  %s%n", claim)
                .containsExactly(claim);
    }
}
