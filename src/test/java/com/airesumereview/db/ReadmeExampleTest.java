package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestUploads;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The "Use it in a service" example of README.md, kept compiling and running. */
@ExtendWith(SnapshotDatabaseExtension.class)
class ReadmeExampleTest {

    @Test
    void theServiceExampleRuns(ProvisionedDatabase database) {
        String databaseUrl = database.url().jdbcUrl() + "?user=" + database.url().user();
        String bcryptHash = TestUsers.PASSWORD_HASH;
        String rawToken = "raw-refresh-token-" + Instant.now().toEpochMilli();
        String sha256Hex = TestUploads.sha256();
        AnalysisRequest queued;

        // --- as in README.md ---
        try (ResumeReviewDb db = ResumeReviewDb.connect(databaseUrl)) {
            User ada = db.users().create(NewUser.builder()
                    .email("Ada@Example.com").passwordHash(bcryptHash).firstName("Ada").lastName("Lovelace")
                    .role(UserRole.CONSULTANT).build());
            IssuedToken session = db.refreshTokens().issue(NewRefreshToken.forUser(ada.id())
                    .rawToken(rawToken).deviceInfo("Firefox").ipAddress("203.0.113.7").build());
            FileUpload upload = db.fileUploads().create(NewFileUpload.builder()
                    .userId(ada.id()).filename("f81d.pdf").originalFilename("cv.pdf").mimeType("application/pdf")
                    .fileSize(48_213).fileHash(sha256Hex).build());
            db.inTransaction(tx -> tx.fileUploads().startValidating(upload.id()));
            queued = db.analyses().create(TestAnalyses.newRequest(ada.id()));
            Optional<AnalysisRequest> job = db.analyses().claimNextPending();
            // --- end of the README example ---

            assertThat(ada.email()).isEqualTo("ada@example.com");
            assertThat(session.token().sessionId()).hasSize(36);
            assertThat(session.token().expiresAt()).isEqualTo(session.token().createdAt().plus(Duration.ofDays(7)));
            assertThat(db.fileUploads().findById(upload.id())).map(FileUpload::status).contains(UploadStatus.VALIDATING);
            assertThat(job).map(AnalysisRequest::id).contains(queued.id());
        }
    }
}
