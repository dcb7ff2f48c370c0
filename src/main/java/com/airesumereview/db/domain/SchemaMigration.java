package com.airesumereview.db.domain;

import java.time.Instant;

/**
 * A row of the Python service's migration log ({@code schema_migrations}); read-only for this library.
 * The log does not describe production's structure (see the project README).
 *
 * @param version   the migration's name, e.g. {@code 001_initial_schema}
 * @param appliedAt when it was applied ({@code applied_at})
 */
public record SchemaMigration(String version, Instant appliedAt) {
}
