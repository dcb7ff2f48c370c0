package com.airesumereview.db;

import com.airesumereview.db.verification.VerificationReport;
import com.airesumereview.db.verification.Verdict;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What {@link ResumeReviewDb#connect(ResumeReviewDbConfig)} does with {@link ResumeReviewDbConfig#schemaCheck()}.
 * Apart from the entry point so the decision (and what it logs) can be tested on its own.
 */
final class StartupSchemaCheck {
    private StartupSchemaCheck() {
    }

    /**
     * Runs {@code verification} unless {@code mode} is OFF. WARN logs the report (warn with differences, info
     * without) and never throws, not even when the check itself cannot run; FAIL throws
     * {@link SchemaCheckFailedException} on a breaking difference and lets a failed check propagate (it cannot prove the
     * database is safe).
     */
    static void run(SchemaCheck mode, Supplier<VerificationReport> verification, Logger log) {
        if (mode == SchemaCheck.OFF) {
            return;
        }
        VerificationReport report;
        try {
            report = verification.get();
        } catch (RuntimeException e) {
            if (mode == SchemaCheck.FAIL) {
                throw e;
            }
            log.warn("schema check (WARN) could not run, starting anyway: {}", e.getMessage());
            return;
        }
        if (mode == SchemaCheck.FAIL && report.verdict() == Verdict.BREAKING) {
            throw new SchemaCheckFailedException(report);
        }
        if (report.verdict() == Verdict.MATCHES) {
            log.info("schema check ({}): {}", mode, report.verdictLine());
        } else {
            log.warn("schema check ({}): the database differs from the snapshot the code was generated from;"
                    + " starting anyway\n{}", mode, report.render());
        }
    }
}
