package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** After close(), every path raises DatabaseClosedException (retrying cannot help), not DatabaseUnavailableException. */
@ExtendWith(SnapshotDatabaseExtension.class)
class DatabaseClosedTest {

    @Test
    void everyCallAfterCloseOfAConnectedDatabaseSaysItWasClosed(ProvisionedDatabase database) {
        ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(database.url())
                .maximumPoolSize(2).schemaCheck(SchemaCheck.OFF).build());
        db.users().create(TestUsers.newUser());
        db.close();
        db.close(); // a second close does nothing

        assertEveryCallSaysClosed(db);
    }

    @Test
    void everyCallAfterCloseOfACreatedDatabaseSaysItWasClosedAndLeavesTheCallersPoolOpen(DataSource dataSource)
            throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        db.users().create(TestUsers.newUser());
        db.close();

        assertEveryCallSaysClosed(db);
        try (Connection stillUsable = dataSource.getConnection()) {
            assertThat(stillUsable.isValid(2)).as("the caller's DataSource is the caller's to close").isTrue();
        }
    }

    @Test
    void aRepositoryReferenceKeptPastCloseSaysItWasClosed(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().dataSource(dataSource)
                .schemaCheck(SchemaCheck.OFF).build());
        var users = db.users();
        db.close();
        assertThatThrownBy(() -> users.findById(UUID.randomUUID()))
                .isInstanceOf(DatabaseClosedException.class)
                .isNotInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("the ResumeReviewDb was closed")
                .hasMessageContaining("retrying cannot help");
    }

    private static void assertEveryCallSaysClosed(ResumeReviewDb db) {
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("users().findByEmail", () -> db.users().findByEmail("ada@example.com"));
        calls.put("users().create", () -> db.users().create(TestUsers.newUser()));
        calls.put("fileUploads().findById", () -> db.fileUploads().findById(UUID.randomUUID()));
        calls.put("analyses().claimNextPending", () -> db.analyses().claimNextPending());
        calls.put("schemaMigrations().list", () -> db.schemaMigrations().list());
        calls.put("inTransaction", () -> db.inTransaction(tx -> tx.users().findById(UUID.randomUUID())));
        calls.put("useTransaction", () -> db.useTransaction(tx -> { }));
        calls.put("verifySchema", db::verifySchema);
        calls.put("audit", db::audit);
        calls.put("dsl().fetch", () -> db.dsl().fetch("SELECT 1"));
        calls.forEach((name, call) -> assertThatThrownBy(call)
                .as(name)
                .isInstanceOf(DatabaseClosedException.class)
                .hasMessageContaining("the ResumeReviewDb was closed"));
    }
}
