package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestPrompts;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUploads;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * Every public method of every repository, called after close() with plausible arguments: each one either
     * says the database was closed or (for arguments validation rejects before any SQL) raises another library
     * exception; none returns, and none raises a type outside the hierarchy.
     */
    @Test
    void everyPublicRepositoryMethodAfterCloseRaisesALibraryException(DataSource dataSource) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        Prompt prompt = db.prompts().findActiveByName("resume_analysis_system").orElseThrow();
        db.close();
        List<String> closed = new ArrayList<>();
        List<String> otherLibraryFailures = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Method getter : List.of(ResumeReviewDb.class.getMethod("users"), ResumeReviewDb.class.getMethod("refreshTokens"),
                ResumeReviewDb.class.getMethod("fileUploads"), ResumeReviewDb.class.getMethod("analyses"),
                ResumeReviewDb.class.getMethod("prompts"), ResumeReviewDb.class.getMethod("schemaMigrations"))) {
            Object repository = getter.invoke(db);
            for (Method method : getter.getReturnType().getMethods()) {
                if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                String name = getter.getName() + "()." + method.getName() + java.util.Arrays.toString(
                        java.util.Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toArray());
                Object[] args = java.util.Arrays.stream(method.getParameterTypes()).map(t -> argument(t, prompt)).toArray();
                try {
                    method.invoke(repository, args);
                    wrong.add(name + " returned normally");
                } catch (InvocationTargetException e) {
                    Throwable thrown = e.getCause();
                    if (thrown instanceof DatabaseClosedException) {
                        closed.add(name);
                    } else if (thrown instanceof ResumeReviewDbException) {
                        otherLibraryFailures.add(name + ": " + thrown.getClass().getSimpleName());
                    } else {
                        wrong.add(name + " threw " + thrown);
                    }
                }
            }
        }
        assertThat(wrong).as("calls after close() that did not raise a library exception").isEmpty();
        assertThat(closed).as("calls that said the database was closed (others: %s)", otherLibraryFailures)
                .hasSizeGreaterThan(otherLibraryFailures.size());
    }

    private static Object argument(Class<?> type, Prompt prompt) {
        UUID id = UUID.randomUUID();
        if (type == UUID.class) {
            return id;
        } else if (type == String.class) {
            return "closed-check";
        } else if (type == int.class) {
            return 1;
        } else if (type == long.class) {
            return 1L;
        } else if (type == boolean.class) {
            return false;
        } else if (type == Instant.class) {
            return Instant.now().plusSeconds(3600);
        } else if (type == Duration.class) {
            return Duration.ofMinutes(5);
        } else if (type.isEnum()) {
            return type.getEnumConstants()[0];
        } else if (type == List.class) {
            return TestUploads.many(id, 2);
        } else if (type == Prompt.class) {
            return prompt;
        } else if (type == com.airesumereview.db.domain.NewUser.class) {
            return TestUsers.newUser();
        } else if (type == com.airesumereview.db.domain.NewRefreshToken.class) {
            return TestRefreshTokens.newToken(id);
        } else if (type == com.airesumereview.db.domain.NewFileUpload.class) {
            return TestUploads.pdf(id);
        } else if (type == com.airesumereview.db.domain.ExtractionResult.class) {
            return TestUploads.extractionResult();
        } else if (type == com.airesumereview.db.domain.NewAnalysisRequest.class) {
            return TestAnalyses.newRequest(id);
        } else if (type == com.airesumereview.db.domain.NewAnalysisResult.class) {
            return TestAnalyses.newResult();
        } else if (type == com.airesumereview.db.domain.NewPrompt.class) {
            return TestPrompts.newPrompt();
        }
        return null; // e.g. PageCursor: null is the first page
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
        calls.put("dsl().fetch", () -> db.dsl().fetch("SELECT 1"));
        calls.forEach((name, call) -> assertThatThrownBy(call)
                .as(name)
                .isInstanceOf(DatabaseClosedException.class)
                .hasMessageContaining("the ResumeReviewDb was closed"));
    }
}
