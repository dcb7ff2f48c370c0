package com.airesumereview.db.cli;

import java.io.PrintWriter;

/** Progress lines of long steps, on stderr so that stdout holds only the result. */
final class Progress {
    private final PrintWriter err;
    private final long start = System.nanoTime();

    Progress(PrintWriter err) {
        this.err = err;
    }

    void step(String line) {
        err.printf("[%5.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
        err.flush();
    }
}
