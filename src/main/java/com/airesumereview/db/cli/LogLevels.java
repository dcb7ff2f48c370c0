package com.airesumereview.db.cli;

import com.airesumereview.db.internal.QuietJooq;
import java.util.List;

/**
 * What the command line lets through from the libraries underneath. By default only warnings and errors (embedded
 * PostgreSQL's initdb and pg_ctl output, Flyway's migration log and jOOQ's INFO lines are noise to an operator);
 * {@code --verbose} brings their INFO lines back. Set before the first logger exists, because slf4j-simple reads
 * its levels once; a level given on the command line ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=...}) wins.
 */
final class LogLevels {
    static final String VERBOSE = "--verbose";
    static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String JOOQ_VERSION_LOG = "org.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport";

    /** The provisioning's documented switch (docs/testing.md) that lets Flyway's and embedded PostgreSQL's INFO through. */
    static final String TEST_LOGS = "resume-review-db.test-logs";

    private LogLevels() {
    }

    static boolean verbose(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    static void configure(List<String> args) {
        boolean verbose = verbose(args.toArray(String[]::new));
        if (verbose) {
            System.getProperties().putIfAbsent(DEFAULT_LEVEL, "info");
            System.getProperties().putIfAbsent(JOOQ_VERSION_LOG, "INFO");
            // The tools provision through the test helper's code, which quiets Flyway and embedded PostgreSQL
            // unless told otherwise: --verbose means all of it.
            System.getProperties().putIfAbsent(TEST_LOGS, "verbose");
        } else {
            System.getProperties().putIfAbsent(DEFAULT_LEVEL, "warn");
        }
        QuietJooq.apply();
    }
}
