package com.airesumereview.db.repository;

import com.airesumereview.db.domain.SchemaMigration;
import java.util.List;

/**
 * The Python service's migration log ({@code schema_migrations}), read-only: only that service's
 * migration runner writes it. It lists {@code 001_initial_schema} and
 * {@code 002_add_password_security_columns} although production has more; it does not describe the schema.
 *
 * <p>Thread-safe. The library implements it ({@code ResumeReviewDb} hands it out); services may mock it in
 * their own tests.
 */
public interface SchemaMigrationRepository {
    /**
     * Every recorded migration, ordered by version (the primary key). Runs on a replica when one is configured.
     *
     * @return the migrations; empty when none is recorded
     */
    List<SchemaMigration> list();
}
