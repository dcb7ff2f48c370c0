package com.airesumereview.db.verification;

import com.airesumereview.db.internal.BundledSchemaModel;
import com.airesumereview.db.inspection.LiveSchema;
import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.inspection.SchemaComparison;
import com.airesumereview.db.inspection.SchemaModel;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The one verification engine behind {@code verify}, {@link com.airesumereview.db.ResumeReviewDb#verifySchema()}
 * and the start-up check: reads a live database read-only ({@link LiveSchema}) and compares its {@code public}
 * schema with the expected model, by default the bundled snapshot ({@link BundledSchemaModel}).
 * <pre>{@code
 * VerificationReport report = SchemaVerifier.againstBundledSnapshot()
 *         .verify(DatabaseUrl.parse("postgresql://readonly:secret@db:5432/ai_resume_review"));
 * System.out.println(report.render());
 * }</pre>
 * Needs only JDBC and Jackson: no Flyway, no provisioning. Instances are immutable and thread-safe.
 */
public final class SchemaVerifier {
    private final SchemaModel expected;

    private SchemaVerifier(SchemaModel expected) {
        this.expected = expected;
    }

    /**
     * Compares with the structure the generated code was generated from.
     *
     * @return a verifier against the bundled snapshot
     */
    public static SchemaVerifier againstBundledSnapshot() {
        return new SchemaVerifier(BundledSchemaModel.model());
    }

    /**
     * Compares with {@code expected} (e.g. another snapshot's model).
     *
     * @param expected the model to compare with; not null
     * @return a verifier against {@code expected}
     */
    public static SchemaVerifier against(SchemaModel expected) {
        return new SchemaVerifier(Objects.requireNonNull(expected, "expected"));
    }

    /**
     * The model live databases are compared with.
     *
     * @return the expected model
     */
    public SchemaModel expected() {
        return expected;
    }

    /**
     * Verifies through one unpooled, read-only connection to {@code url}.
     *
     * @param url the database to read; not null
     * @return the comparison; {@link VerificationReport#verdict()} says whether it matches
     */
    public VerificationReport verify(DatabaseUrl url) {
        return compare(LiveSchema.read(url));
    }

    /**
     * Verifies through one connection borrowed from {@code dataSource}, used read-only and given back.
     *
     * @param dataSource where to borrow the connection; not null
     * @return the comparison; {@link VerificationReport#verdict()} says whether it matches
     */
    public VerificationReport verify(DataSource dataSource) {
        return compare(LiveSchema.read(dataSource));
    }

    /**
     * Compares an already read structure.
     *
     * @param live the structure read from a live database; not null
     * @return the comparison with the expected model
     */
    public VerificationReport compare(LiveSchema live) {
        return new VerificationReport(live.database(), live.model().schema(),
                SchemaComparison.compare(expected, live.model()).differences());
    }
}
