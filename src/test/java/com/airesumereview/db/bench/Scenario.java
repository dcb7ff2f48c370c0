package com.airesumereview.db.bench;

/**
 * One operation measured twice in the same JVM on the same pool: through the library and through hand-written
 * JDBC ({@link JdbcBaseline}) that sends the same SQL.
 *
 * @param name       what the operation is, in the users' words
 * @param target     the ratio the issue asks for
 * @param library    one call through the library; {@code i} is this side's call number (0, 1, 2, ...)
 * @param baseline   the same call through {@link JdbcBaseline}
 * @param sameResult true when both sides read the same rows for the same {@code i}, so their results must be
 *                   equal (checked once per fork before timing); false for writes, which create distinct rows
 * @param afterRound untimed work after each interleaved round of both sides, to keep the data in a steady
 *                   state (e.g. delete the users a round created, put moved uploads back to pending)
 */
record Scenario(String name, Target target, Call library, Call baseline, boolean sameResult, Runnable afterRound) {

    /** One call; the result is kept (written to a field) so that the JIT cannot drop the work. */
    @FunctionalInterface
    interface Call {
        Object call(int i);
    }

    /** The targets: a ratio of medians, library over baseline. */
    enum Target {
        SINGLE_ROW("<= 1.05", 1.05),
        PAGE_OF_50("<= 1.10", 1.10),
        LIST_WITH_TOTAL("<= 1.10", 1.10);

        final String text;
        final double maxRatio;

        Target(String text, double maxRatio) {
            this.text = text;
            this.maxRatio = maxRatio;
        }
    }

    static Scenario reading(String name, Target target, Call library, Call baseline) {
        return new Scenario(name, target, library, baseline, true, () -> { });
    }

    static Scenario writing(String name, Target target, Call library, Call baseline, Runnable afterRound) {
        return new Scenario(name, target, library, baseline, false, afterRound);
    }
}
