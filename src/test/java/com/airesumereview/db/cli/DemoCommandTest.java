package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole demo. On the server named by RESUME_REVIEW_DB_SERVER_URL when it is set (through --url, as an
 * operator would), else on embedded PostgreSQL 15, as on a machine without any server.
 */
class DemoCommandTest {
    @Test
    void walksThroughTheDayAndEndsWithCleanAuditAndVerify() {
        List<String> args = new ArrayList<>(List.of("demo"));
        String server = System.getenv("RESUME_REVIEW_DB_SERVER_URL");
        if (server != null && !server.isBlank()) {
            args.addAll(List.of("--url", server));
        }

        Cli.Run run = Cli.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).containsSubsequence(
                "PostgreSQL   ",
                "created from the bundled snapshot",
                " 1. register     user ", "ada.lovelace@example.com (consultant), active true, 0 failed logins",
                " 2. login        password accepted", "only its SHA-256 stored (64 hex characters)",
                "attempt 1 of 5 failed, not locked",
                "attempt 5 of 5 failed -> LOCKED until ",
                "correct password while locked: refused, account locked",
                "rotated in place (active)",
                "replaced token presented again -> matches no session, refused; active sessions now 1",
                "Ada_Lovelace_CV.pdf (48213 bytes, PDF) pending, progress 0",
                "-> validating", "-> extracting, progress 60",
                "-> completed, progress 100: 412 words, 2630 characters by pdfplumber,"
                        + " sections [\"summary\",\"experience\",\"education\",\"skills\"];"
                        + " validation 120 ms, extraction 780 ms, total 950 ms",
                "claimed by worker-1 -> processing; a second worker finds nothing to claim",
                "used resume_analysis_system v1, content_analysis v1 -> prompt_history holds 2 rows for the request",
                "worker       request ", "completed: overall 82, formatting 78, content 85, keywords 64",
                "1 upload(s): 1 completed, 0 failed, 0 in the pipeline; average processing 950.00 ms; total 0.05 MB",
                "audit        CLEAN - all ",
                "verify       MATCHES - ",
                "cleanup      database rrdb_", " dropped",
                "demo: every step worked; audit and verify are clean");
    }

    @Test
    void helpDescribesTheDemo() {
        Cli.Run run = Cli.run("demo", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: resume-review-db demo", "embedded PostgreSQL 15", "--url",
                "Exit codes:", "  0   every step worked");
    }
}
