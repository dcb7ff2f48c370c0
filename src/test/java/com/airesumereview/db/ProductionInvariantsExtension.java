package com.airesumereview.db;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test that used a snapshot database, checks every production invariant
 * ({@link ProductionInvariants#assertHold}) and fails the test naming the invariant and the row.
 * Register it after {@link SnapshotDatabaseExtension}, so that its check runs before the database is dropped:
 * <pre>{@code
 * @ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
 * }</pre>
 * A test that breaks an invariant on purpose restores it before it ends.
 */
public class ProductionInvariantsExtension implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        SnapshotDatabaseExtension.existingDatabase(context)
                .ifPresent(db -> ProductionInvariants.assertHold(db.ownerDataSource()));
    }
}
