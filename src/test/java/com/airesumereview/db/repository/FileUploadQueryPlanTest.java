package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * EXPLAIN of every lookup and list of FileUploadRepository on 30,000 uploads of 300 users: none may read
 * {@code file_uploads} sequentially, since production has an index for each.
 */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class FileUploadQueryPlanTest {
    private static final String TABLE = "file_uploads";

    /** Set-up the library never does (bulk rows, ANALYZE) runs as the owner, also in least-privilege runs. */
    private DataSource owner;

    @BeforeEach
    void connectAsOwner(ProvisionedDatabase database) {
        owner = database.ownerDataSource();
    }

    @Test
    void findByIdUsesThePrimaryKey(DataSource dataSource) throws SQLException {
        Loaded data = load(owner);

        QueryPlans.assertNoSeqScanOn(dataSource, TABLE, db -> assertThat(db.fileUploads().findById(data.uploadId)).isPresent());
    }

    @Test
    void findByContentHashUsesAnIndex(DataSource dataSource) throws SQLException {
        Loaded data = load(owner);

        QueryPlans.assertNoSeqScanOn(dataSource, TABLE,
                db -> assertThat(db.fileUploads().findByContentHash(data.userId, data.fileHash)).isPresent());
    }

    @Test
    void firstAndLaterPagesOfAUsersUploadsUseAnIndex(DataSource dataSource) throws SQLException {
        Loaded data = load(owner);
        Page<FileUpload> first = ResumeReviewDb.create(dataSource).fileUploads().listByUser(data.userId, null, 20);
        PageCursor cursor = first.next().orElseThrow();

        QueryPlans.assertNoSeqScanOn(dataSource, TABLE,
                db -> assertThat(db.fileUploads().listByUser(data.userId, null, 20).items()).hasSize(20));
        QueryPlans.assertNoSeqScanOn(dataSource, TABLE,
                db -> assertThat(db.fileUploads().listByUser(data.userId, cursor, 20).items()).hasSize(20));
    }

    @Test
    void firstAndLaterPagesFilteredByStatusUseAnIndex(DataSource dataSource) throws SQLException {
        Loaded data = load(owner);
        Page<FileUpload> first = ResumeReviewDb.create(dataSource).fileUploads()
                .listByUser(data.userId, UploadStatus.COMPLETED, null, 5);
        PageCursor cursor = first.next().orElseThrow();

        QueryPlans.assertNoSeqScanOn(dataSource, TABLE, db -> assertThat(
                db.fileUploads().listByUser(data.userId, UploadStatus.COMPLETED, null, 5).items()).hasSize(5));
        QueryPlans.assertNoSeqScanOn(dataSource, TABLE, db -> assertThat(
                db.fileUploads().listByUser(data.userId, UploadStatus.COMPLETED, cursor, 5).items()).hasSize(5));
    }

    @Test
    void totalsRecentUploadsAndAUsersPipelineUseIndexes(DataSource dataSource) throws SQLException {
        Loaded data = load(owner);

        QueryPlans.assertNoSeqScanOn(dataSource, TABLE, db -> assertThat(
                db.fileUploads().listByUser(data.userId, UploadStatus.COMPLETED, null, 5).total()).hasValue(20));
        QueryPlans.assertNoSeqScanOn(dataSource, TABLE,
                db -> assertThat(db.fileUploads().listRecent(null, 50).items()).hasSize(50));
        QueryPlans.assertNoSeqScanOn(dataSource, TABLE,
                db -> assertThat(db.fileUploads().listInPipeline(data.userId, null, 10).items()).hasSize(10));
    }

    private record Loaded(UUID userId, UUID uploadId, String fileHash) {
    }

    /** 300 users with 100 uploads each, one minute apart, statuses spread evenly; then ANALYZE. */
    private static Loaded load(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (email, password_hash, first_name, last_name)"
                    + " SELECT 'plan' || g || '@example.com', 'x', 'F', 'L' FROM generate_series(1, 300) g");
            s.execute("INSERT INTO file_uploads (user_id, filename, original_filename, mime_type, file_size, file_hash,"
                    + " status, created_at)"
                    + " SELECT u.id, 'f' || g, 'cv' || g || '.pdf', 'application/pdf', 1000 + g,"
                    + " md5(g::text) || md5((-g)::text),"
                    + " (ARRAY['pending','validating','extracting','completed','error'])[1 + (g / 300) % 5],"
                    + " now() - make_interval(mins => g)"
                    + " FROM generate_series(1, 30000) g"
                    + " JOIN (SELECT id, row_number() OVER (ORDER BY email) - 1 AS n FROM users) u ON u.n = g % 300");
            s.execute("ANALYZE users");
            s.execute("ANALYZE file_uploads");
            try (ResultSet rs = s.executeQuery("SELECT user_id, id, file_hash FROM file_uploads"
                    + " WHERE user_id = (SELECT id FROM users WHERE email = 'plan7@example.com') ORDER BY created_at LIMIT 1")) {
                rs.next();
                return new Loaded(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3));
            }
        }
    }
}
