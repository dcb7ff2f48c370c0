package com.airesumereview.db.bench;

import com.airesumereview.db.Pooler;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.DatabaseUrl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * One JVM of {@link PoolerCostBenchmarkTest}: three instances of the library on one database (direct with pgJDBC's
 * defaults, direct with {@code pooler(TRANSACTION)}, through PgBouncer with {@code pooler(TRANSACTION)}), each
 * calling {@code users().findById} and {@code users().updateProfile} on one thread, interleaved in rounds whose
 * order rotates. Prints one line per side: {@code side median_us p90_us calls}.
 *
 * <p>args: directJdbcUrl bouncerJdbcUrl user password(or -) userId warmupCalls measuredCalls
 */
public final class PoolerCostFork {
    private static final int BATCH = 500;

    private PoolerCostFork() {
    }

    public static void main(String[] args) {
        String password = "-".equals(args[3]) ? null : args[3];
        DatabaseUrl direct = DatabaseUrl.of(args[0], args[2], password);
        DatabaseUrl bouncer = DatabaseUrl.of(args[1], args[2], password);
        UUID user = UUID.fromString(args[4]);
        int warmup = Integer.parseInt(args[5]);
        int measured = Integer.parseInt(args[6]);
        String[] names = {"direct", "direct_prepareThreshold0", "pgbouncer_transaction"};
        ResumeReviewDb[] dbs = {
                open(direct, Pooler.NONE), open(direct, Pooler.TRANSACTION), open(bouncer, Pooler.TRANSACTION)};
        try {
            long[][] times = new long[3][measured];
            int[] done = new int[3];
            int[] calls = new int[3];
            for (int round = 0; Arrays.stream(done).min().getAsInt() < measured; round++) {
                for (int k = 0; k < 3; k++) {
                    int side = (round + k) % 3;
                    for (int i = 0; i < BATCH; i++) {
                        long start = System.nanoTime();
                        call(dbs[side], user, calls[side]);
                        long took = System.nanoTime() - start;
                        if (calls[side] >= warmup && done[side] < measured) {
                            times[side][done[side]++] = took;
                        }
                        calls[side]++;
                    }
                }
            }
            for (int side = 0; side < 3; side++) {
                long[] t = times[side];
                Arrays.sort(t);
                System.out.printf("%s %.1f %.1f %d%n", names[side], t[t.length / 2] / 1000.0,
                        t[(int) (t.length * 0.9)] / 1000.0, calls[side]);
            }
        } finally {
            for (ResumeReviewDb db : dbs) {
                db.close();
            }
        }
    }

    private static ResumeReviewDb open(DatabaseUrl url, Pooler pooler) {
        return ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(url).pooler(pooler).maximumPoolSize(1)
                .schemaCheck(SchemaCheck.OFF).build());
    }

    /** A read and a write in turn: the two shapes most calls have. */
    private static void call(ResumeReviewDb db, UUID user, int n) {
        if (n % 2 == 0) {
            db.users().findById(user).orElseThrow();
        } else {
            db.users().updateProfile(user, "Bench", "Call" + (n % 7));
        }
    }
}
