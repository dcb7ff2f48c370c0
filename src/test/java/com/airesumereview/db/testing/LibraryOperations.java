package com.airesumereview.db.testing;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jooq.impl.DSL;

/** Every kind of library operation, for the tests that prove all of them join one transaction. */
public final class LibraryOperations {
    /** The tables {@link #everyKind} writes to. */
    public static final List<String> TABLES = List.of("users", "refresh_tokens", "file_uploads", "analysis_requests",
            "analysis_results");

    private LibraryOperations() {
    }

    /** Single statements, several statements, routines, COPY, dsl(), savepoints: three users in all. */
    public static void everyKind(ResumeReviewDb db) {
        User user = db.users().create(TestUsers.newUser());
        db.refreshTokens().issue(TestRefreshTokens.newToken(user.id()));          // several statements
        db.users().attemptLogin(user.email());                                   // several statements
        db.users().list(UserFilter.all(), (PageCursor) null, 10);                 // page and total together
        db.fileUploads().create(TestUploads.pdf(user.id()));
        db.fileUploads().createAll(TestUploads.many(user.id(), 3));              // COPY
        AnalysisRequest request = db.analyses().create(TestAnalyses.newRequest(user.id()));
        db.analyses().startProcessing(request.id());
        db.analyses().complete(request.id(), TestAnalyses.newResult());          // several statements
        db.analyses().find(request.id());
        db.refreshTokens().markOverdueExpired();                                       // a routine, through jOOQ
        db.useTransaction(inner -> inner.users().create(TestUsers.newUser()));   // nested: a savepoint
        db.dsl().insertInto(DSL.table("users"), DSL.field("email"), DSL.field("password_hash"),
                DSL.field("first_name"), DSL.field("last_name")).values(TestUsers.uniqueEmail(),
                TestUsers.passwordHash(), "Dsl", "Query").execute();
    }

    /** Rows per table of {@link #TABLES}, read on a connection of its own. */
    public static Map<String, Long> counts(DataSource dataSource) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
