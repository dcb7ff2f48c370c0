package com.airesumereview.db.bench;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.testing.TestUsers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The scenarios of issue 9, each a pair: the library call and its {@link JdbcBaseline} twin.
 *
 * <p>To add a scenario: write the baseline method in {@link JdbcBaseline} (the same SQL, bound and mapped by
 * hand) and add one {@code Scenario.reading(...)} or {@code Scenario.writing(...)} line to {@link #all} pairing it
 * with the library call. The harness, the same-SQL check ({@code SameSqlTest}), the forks and the report pick it
 * up from this list. The list-with-total operations (users, a user's uploads, a user's analyses, each with the
 * total count) are {@code Target.LIST_WITH_TOTAL}; like the keyset page before them, they time pages 2.. (a
 * cursor), whose SQL is the same on every page after the first.
 */
final class Scenarios {
    static final int PAGE = 50;
    static final int LIBRARY = 0;
    static final int BASELINE = 1;
    /** Lookup rows: enough that the hot rows are not one cached page, few enough to set up in a second. */
    private static final int LOOKUP_USERS = 1_000;
    /** One user's uploads for lookups by id and keyset pages (the benchmark's size; the SQL check uses fewer). */
    static final int UPLOADS = 5_000;
    /** One user's analysis requests, a quarter of them completed (the listed status): tens of pages of 50. */
    static final int ANALYSES = 2_000;

    private Scenarios() {
    }

    /** The scenarios over {@code data}, calling the library through {@code library} and JDBC through {@code jdbc}. */
    static List<Scenario> all(Fixture data, ResumeReviewDb library, JdbcBaseline jdbc) {
        Fixture d = data;
        int n = d.uploadIds.size();
        String hash = d.passwordHash;
        List<Scenario> s = new ArrayList<>();
        s.add(Scenario.reading("find user by email", Scenario.Target.SINGLE_ROW,
                i -> library.users().findByEmail(d.lookupEmails[i % LOOKUP_USERS]).orElseThrow(),
                i -> jdbc.findUserByEmail(d.lookupEmails[i % LOOKUP_USERS]).orElseThrow()));
        s.add(Scenario.reading("find upload by id", Scenario.Target.SINGLE_ROW,
                i -> library.fileUploads().findById(d.uploadIds.get((i * 7) % n)).orElseThrow(),
                i -> jdbc.findUpload(d.uploadIds.get((i * 7) % n)).orElseThrow()));
        s.add(Scenario.writing("compare-and-set: upload pending -> validating", Scenario.Target.SINGLE_ROW,
                i -> library.fileUploads().advance(d.casUploads[LIBRARY].get(i % d.batch), UploadStatus.PENDING,
                        UploadStatus.VALIDATING),
                i -> jdbc.advanceUpload(d.casUploads[BASELINE].get(i % d.batch), UploadStatus.PENDING,
                        UploadStatus.VALIDATING),
                d::resetCasUploads));
        s.add(Scenario.writing("create user", Scenario.Target.SINGLE_ROW,
                i -> library.users().create(NewUser.builder()
                        .email(d.newEmails[LIBRARY][i]).passwordHash(hash).firstName("Ada").lastName("Lovelace")
                        .role(UserRole.CONSULTANT).build()),
                i -> jdbc.createUser(d.newEmails[BASELINE][i], hash, "Ada", "Lovelace", UserRole.CONSULTANT),
                d::deleteNewUsers));
        s.add(Scenario.writing("token issue", Scenario.Target.SINGLE_ROW,
                i -> library.refreshTokens().issue(NewRefreshToken.forUser(d.tokenUsers[LIBRARY])
                        .rawToken(d.rawTokens[LIBRARY][i]).deviceInfo("Firefox").ipAddress("203.0.113.7").build()),
                i -> jdbc.issueToken(d.tokenUsers[BASELINE], d.rawTokens[BASELINE][i], "Firefox", "203.0.113.7"),
                d::deleteIssuedTokens));
        s.add(Scenario.writing("token rotate", Scenario.Target.SINGLE_ROW,
                i -> d.rotated(LIBRARY, library.refreshTokens().rotate(d.chain[LIBRARY], d.rotatedTokens[LIBRARY][i]),
                        d.rotatedTokens[LIBRARY][i]),
                i -> d.rotated(BASELINE, jdbc.rotateToken(d.chain[BASELINE], d.rotatedTokens[BASELINE][i]),
                        d.rotatedTokens[BASELINE][i]),
                d::vacuumTokens));
        // Each call of a round fails the login of its own user (i % batch), so every call is a counted failure
        // (a first one, far below the lock-out threshold); the round's reset puts the counts back to 0.
        s.add(Scenario.writing("failed login", Scenario.Target.SINGLE_ROW,
                i -> library.users().recordFailedLogin(d.loginUsers[LIBRARY].get(i % d.batch)),
                i -> jdbc.recordFailedLogin(d.loginUsers[BASELINE].get(i % d.batch), Fixture.MAX_FAILED_LOGINS,
                        Fixture.LOCK),
                d::resetFailedLogins));
        s.add(Scenario.reading("users list with total (page of 50 after a cursor)", Scenario.Target.LIST_WITH_TOTAL,
                i -> full(library.users().list(d.userFilter, d.userCursors.get(i % d.userCursors.size()), PAGE)),
                i -> full(jdbc.listUsers(d.userFilter, d.userCursors.get(i % d.userCursors.size()), PAGE))));
        s.add(Scenario.reading("a user's uploads with total (keyset page of 50)", Scenario.Target.LIST_WITH_TOTAL,
                i -> full(library.fileUploads().listByUser(d.pageOwner, null, d.cursors.get(i % d.cursors.size()),
                        PAGE)),
                i -> full(jdbc.uploadsOfUser(d.pageOwner, d.cursors.get(i % d.cursors.size()), PAGE))));
        s.add(Scenario.reading("a user's completed analyses with total (page of 50)", Scenario.Target.LIST_WITH_TOTAL,
                i -> full(library.analyses().listByUser(d.analysisOwner, AnalysisStatus.COMPLETED,
                        d.analysisCursors.get(i % d.analysisCursors.size()), PAGE)),
                i -> full(jdbc.analysesOfUser(d.analysisOwner, AnalysisStatus.COMPLETED,
                        d.analysisCursors.get(i % d.analysisCursors.size()), PAGE))));
        return s;
    }

    /** A full page with a total: a short page or a missing total would measure less work than intended. */
    private static <T> Page<T> full(Page<T> page) {
        if (page.items().size() != PAGE || page.total().isEmpty()) {
            throw new IllegalStateException("expected a full page of " + PAGE + " with a total, got "
                    + page.items().size() + " rows, total " + page.total());
        }
        return page;
    }

    /** The cursors of pages 2.. of a list, read through the library (untimed), full pages only. */
    private static <T> List<PageCursor> cursors(Function<PageCursor, Page<T>> list, int fullPages,
                                                String what) {
        List<PageCursor> out = new ArrayList<>();
        Page<T> p = list.apply(null);
        while (p.next().isPresent() && out.size() < fullPages) {
            out.add(p.next().get());
            p = list.apply(p.next().get());
        }
        if (out.size() != fullPages) {
            throw new IllegalStateException("fixture: expected " + fullPages + " cursors of " + what + ", got "
                    + out.size());
        }
        return out;
    }

    /**
     * The rows the scenarios work on, set up with plain SQL (untimed) in a fresh database, and the small state
     * the writing scenarios carry between calls (the current token of each side's rotation chain). Each writing
     * scenario has one row set per side, so the sides never touch each other's rows.
     */
    static final class Fixture {
        /** The library's defaults (ResumeReviewDb.create): the Python service's 5 attempts and 30 minutes. */
        static final int MAX_FAILED_LOGINS = 5;
        static final Duration LOCK = Duration.ofMinutes(30);

        final DataSource pool;
        final int batch;
        final String run = Long.toHexString(ThreadLocalRandom.current().nextLong());
        final String passwordHash = TestUsers.passwordHash();
        final String[] lookupEmails = new String[LOOKUP_USERS];
        final List<UUID> uploadIds;
        final UUID pageOwner;
        final List<PageCursor> cursors;
        final UserFilter userFilter;
        final List<PageCursor> userCursors;
        final UUID analysisOwner;
        final List<PageCursor> analysisCursors;
        final List<UUID>[] casUploads;
        final UUID[] casOwners = new UUID[2];
        @SuppressWarnings("unchecked")
        final List<UUID>[] loginUsers = new List[2];
        final UUID[] tokenUsers = new UUID[2];
        final UUID[] rotateUsers = new UUID[2];
        final String[][] newEmails = new String[2][];
        final String[][] rawTokens = new String[2][];
        final String[][] rotatedTokens = new String[2][];
        /** The raw token each side presents next in its rotation chain. */
        final String[] chain = new String[2];

        /**
         * @param calls the most calls one side can make in a scenario (warm-up, measurement and the SQL check),
         *              for the values each call must have to itself (emails, raw tokens)
         * @param batch calls per side in one round; writing scenarios reset their rows after each round
         * @param uploads the page owner's uploads ({@link #UPLOADS} in the benchmark); pages 2.. are timed
         */
        @SuppressWarnings("unchecked")
        Fixture(DataSource pool, ResumeReviewDb library, int calls, int batch, int uploads) {
            this.pool = pool;
            this.batch = batch;
            for (int k = 0; k < LOOKUP_USERS; k++) {
                lookupEmails[k] = "find-" + run + "-" + k + "@example.com";
            }
            BenchData.execute(pool, "insert into public.users (email, password_hash, first_name, last_name, role)"
                    + " select 'find-" + run + "-' || g || '@example.com', '" + passwordHash + "', 'Ada', 'Lovelace',"
                    + " 'consultant' from generate_series(0, " + (LOOKUP_USERS - 1) + ") g");

            // One user's uploads created over time, as production's are: lookups by id and keyset pages.
            pageOwner = user(library);
            BenchData.uploadsOverTime(pool, pageOwner, uploads);
            uploadIds = BenchData.ids(pool, "select id from public.file_uploads where user_id = ? order by id",
                    pageOwner);
            cursors = cursors(after -> library.fileUploads().listByUser(pageOwner, null, after, PAGE),
                    uploads / PAGE - 1, uploads + " uploads");

            // The users list searches the lookup users (active consultants): a filter with every part bound.
            userFilter = UserFilter.all().withRole(UserRole.CONSULTANT).withActive(true).withSearch("find-" + run);
            userCursors = cursors(after -> library.users().list(userFilter, after, PAGE), LOOKUP_USERS / PAGE - 1,
                    LOOKUP_USERS + " users");

            // One user's analysis requests one minute apart, cycling through the four statuses.
            analysisOwner = user(library);
            BenchData.execute(pool, "insert into public.analysis_requests (user_id, original_filename, file_path,"
                    + " file_size_bytes, mime_type, status, created_at, updated_at, completed_at) select '"
                    + analysisOwner + "', 'resume-' || g || '.pdf', '/uploads/" + run + "/' || g || '.pdf', 49152,"
                    + " 'application/pdf', (array['pending', 'processing', 'completed', 'failed'])[g % 4 + 1],"
                    + " now() - g * interval '1 minute', now() - g * interval '1 minute', case when g % 4 = 2 then"
                    + " now() - g * interval '1 minute' + interval '30 seconds' end from generate_series(0, "
                    + (ANALYSES - 1) + ") g");
            analysisCursors = cursors(after -> library.analyses().listByUser(analysisOwner, AnalysisStatus.COMPLETED,
                    after, PAGE), ANALYSES / 4 / PAGE - 1, ANALYSES / 4 + " completed analyses");

            casUploads = new List[2];
            for (int side = 0; side < 2; side++) {
                casOwners[side] = user(library);
                BenchData.uploadsOverTime(pool, casOwners[side], batch);
                casUploads[side] = BenchData.ids(pool, "select id from public.file_uploads where user_id = ?"
                        + " order by id", casOwners[side]);
                tokenUsers[side] = user(library);
                rotateUsers[side] = user(library);
                String name = side == LIBRARY ? "lib" : "jdbc";
                BenchData.execute(pool, "insert into public.users (email, password_hash, first_name, last_name, role)"
                        + " select 'login-" + run + "-" + name + "-' || g || '@example.com', '" + passwordHash + "',"
                        + " 'Ada', 'Lovelace', 'consultant' from generate_series(0, " + (batch - 1) + ") g");
                loginUsers[side] = BenchData.ids(pool, "select id from public.users where email like 'login-" + run
                        + "-" + name + "-%' order by id");
                newEmails[side] = strings("new-" + run + "-" + name + "-", "@example.com", calls);
                rawTokens[side] = strings("issue-" + run + "-" + name + "-", "", calls);
                rotatedTokens[side] = strings("rotate-" + run + "-" + name + "-", "", calls);
                chain[side] = "chain-" + run + "-" + name;
                library.refreshTokens().issue(NewRefreshToken.forUser(rotateUsers[side])
                        .rawToken(chain[side]).deviceInfo("Firefox").ipAddress("203.0.113.7").build());
            }
            BenchData.execute(pool, "vacuum analyze public.users");
            BenchData.execute(pool, "vacuum analyze public.file_uploads");
            BenchData.execute(pool, "vacuum analyze public.refresh_tokens");
            BenchData.execute(pool, "vacuum analyze public.analysis_requests");
        }

        private UUID user(ResumeReviewDb library) {
            return library.users().create(TestUsers.newUser()).id();
        }

        private static String[] strings(String prefix, String suffix, int n) {
            String[] out = new String[n];
            for (int i = 0; i < n; i++) {
                out[i] = prefix + i + suffix;
            }
            return out;
        }

        /** Moves the chain on when the rotation succeeded; anything else is a broken benchmark. */
        Object rotated(int side, Object result, String next) {
            boolean rotated = result instanceof RotationResult.Rotated;
            if (!rotated) {
                throw new IllegalStateException("rotation did not rotate: " + result);
            }
            chain[side] = next;
            return result;
        }

        void resetCasUploads() {
            BenchData.execute(pool, "update public.file_uploads set status = 'pending' where user_id in ('"
                    + casOwners[0] + "', '" + casOwners[1] + "')");
            BenchData.execute(pool, "vacuum public.file_uploads");
        }

        void deleteNewUsers() {
            // The users list scans users (no index serves it): keep the table the same size each round.
            BenchData.execute(pool, "delete from public.users where email like 'new-" + run + "-%'");
            BenchData.execute(pool, "vacuum public.users");
        }

        void deleteIssuedTokens() {
            BenchData.execute(pool, "delete from public.refresh_tokens where user_id in ('" + tokenUsers[0] + "', '"
                    + tokenUsers[1] + "')");
            BenchData.execute(pool, "vacuum public.refresh_tokens");
        }

        /** Rotation updates the session's one row in place: clear the dead versions it leaves. */
        void vacuumTokens() {
            BenchData.execute(pool, "vacuum public.refresh_tokens");
        }

        void resetFailedLogins() {
            BenchData.execute(pool, "update public.users set failed_login_attempts = 0, locked_until = null where"
                    + " email like 'login-" + run + "-%'");
            BenchData.execute(pool, "vacuum public.users");
        }
    }
}
