package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import static com.airesumereview.db.repository.FileUploadMappingTest.user;
import static com.airesumereview.db.repository.FileUploadRepositoryTest.setCreatedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUploads;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The upload lists of issue 8: a user's uploads with a total, the uploads in the pipeline, the most recent. */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class FileUploadListsTest {

    /** An upload of {@code owner} created at {@code day} of January 2024, moved to {@code status}. */
    private static UUID upload(ResumeReviewDb db, UUID owner, int day, UploadStatus status) {
        FileUpload u = db.fileUploads().create(TestUploads.pdf(owner));
        setCreatedAt(db, u.id(), String.format("2024-01-%02dT00:00:00Z", day));
        switch (status) {
            case PENDING -> { }
            case VALIDATING -> db.fileUploads().startValidating(u.id());
            case EXTRACTING -> {
                db.fileUploads().startValidating(u.id());
                db.fileUploads().startExtracting(u.id());
            }
            case COMPLETED -> {
                db.fileUploads().startValidating(u.id());
                db.fileUploads().startExtracting(u.id());
                db.fileUploads().advance(u.id(), UploadStatus.EXTRACTING, UploadStatus.COMPLETED);
            }
            case ERROR -> db.fileUploads().fail(u.id(), "unreadable");
        }
        return u.id();
    }

    private static List<UUID> all(Function<PageCursor, Page<FileUpload>> list, List<Long> totals) {
        List<UUID> ids = new ArrayList<>();
        Page<FileUpload> page = list.apply(null);
        while (true) {
            page.items().forEach(u -> ids.add(u.id()));
            totals.add(page.total().orElse(-1));
            if (page.next().isEmpty()) {
                return ids;
            }
            page = list.apply(page.next().get());
        }
    }

    @Test
    void listsAUsersUploadsOfOneStatusNewestFirstWithTheTotalOnEveryPage(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID owner = user(db);
        UUID other = user(db);
        UUID c1 = upload(db, owner, 1, UploadStatus.COMPLETED);
        upload(db, owner, 2, UploadStatus.ERROR);
        UUID c3 = upload(db, owner, 3, UploadStatus.COMPLETED);
        UUID c4 = upload(db, owner, 4, UploadStatus.COMPLETED);
        UUID p5 = upload(db, owner, 5, UploadStatus.PENDING);
        upload(db, other, 6, UploadStatus.COMPLETED);

        List<Long> totals = new ArrayList<>();
        List<UUID> completed = all(after -> db.fileUploads().listByUser(owner, UploadStatus.COMPLETED, after, 2), totals);
        List<Long> allTotals = new ArrayList<>();
        List<UUID> everything = all(after -> db.fileUploads().listByUser(owner, null, after, 2), allTotals);

        assertThat(completed).containsExactly(c4, c3, c1);
        assertThat(totals).containsExactly(3L, 3L);
        assertThat(everything).hasSize(5).startsWith(p5, c4, c3);
        assertThat(allTotals).containsOnly(5L);
        assertThat(db.fileUploads().listByUser(owner, UploadStatus.VALIDATING, null, 10).total()).hasValue(0);
        assertThat(db.fileUploads().listByUser(UUID.randomUUID(), null, null, 10).items()).isEmpty();
    }

    @Test
    void aCursorPastTheEndStillCarriesTheTotal(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID owner = user(db);
        upload(db, owner, 3, UploadStatus.PENDING);
        UUID oldest = upload(db, owner, 1, UploadStatus.PENDING);
        Page<FileUpload> first = db.fileUploads().listByUser(owner, null, null, 2);

        Page<FileUpload> beyond = db.fileUploads().listByUser(owner, null,
                new PageCursor(first.items().get(1).uploadStartedAt(), oldest), 2);

        assertThat(first.next()).isEmpty();
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).hasValue(2);
    }

    @Test
    void listsUploadsStillInThePipelineOfOneOrAllUsers(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID owner = user(db);
        UUID other = user(db);
        UUID pending = upload(db, owner, 1, UploadStatus.PENDING);
        UUID validating = upload(db, owner, 2, UploadStatus.VALIDATING);
        upload(db, owner, 3, UploadStatus.COMPLETED);
        UUID extracting = upload(db, other, 4, UploadStatus.EXTRACTING);
        upload(db, other, 5, UploadStatus.ERROR);

        List<UUID> everyone = all(after -> db.fileUploads().listInPipeline(null, after, 2), new ArrayList<>());
        List<UUID> mine = all(after -> db.fileUploads().listInPipeline(owner, after, 10), new ArrayList<>());

        assertThat(everyone).containsExactly(extracting, validating, pending);
        assertThat(mine).containsExactly(validating, pending);
        assertThat(db.fileUploads().listInPipeline(null, null, 10).total()).isEmpty();
    }

    @Test
    void listsTheMostRecentUploadsOfAllUsersNewestFirst(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID owner = user(db);
        UUID other = user(db);
        UUID a = upload(db, owner, 1, UploadStatus.COMPLETED);
        UUID b = upload(db, other, 2, UploadStatus.PENDING);
        UUID c = upload(db, owner, 3, UploadStatus.ERROR);

        List<UUID> recent = all(after -> db.fileUploads().listRecent(after, 2), new ArrayList<>());

        assertThat(recent).containsExactly(c, b, a);
        assertThat(db.fileUploads().listRecent(null, 1).items()).extracting(FileUpload::id).containsExactly(c);
    }

    @Test
    void refusesAPageSizeOutside1To1000BeforeAnySql(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);

        assertThatThrownBy(() -> db.fileUploads().listRecent(null, 0))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("page.limit:");
        assertThatThrownBy(() -> db.fileUploads().listInPipeline(null, null, 1001))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("page.limit:");
        assertThatThrownBy(() -> db.fileUploads().listByUser(null, UploadStatus.PENDING, null, 10))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("fileUpload.userId:");
    }
}
