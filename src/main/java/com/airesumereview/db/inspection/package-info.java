/**
 * Schema inspection: what a live database's structure is, how it differs from the snapshot, and the SQL that
 * recreates it. The engine behind the {@code verify} and {@code snapshot} commands and the start-up check.
 * <ul>
 *   <li>{@link com.airesumereview.db.inspection.SchemaInspector} reads one schema's catalog (read-only) into a
 *       {@link com.airesumereview.db.inspection.SchemaModel};</li>
 *   <li>{@link com.airesumereview.db.inspection.SchemaComparison} compares an expected model with an actual one
 *       into {@link com.airesumereview.db.inspection.SchemaDifferences}, each
 *       {@link com.airesumereview.db.inspection.Difference} classified by
 *       {@link com.airesumereview.db.inspection.Impact};</li>
 *   <li>{@link com.airesumereview.db.inspection.SnapshotSql} renders a model as deterministic, Flyway-ready SQL.</li>
 * </ul>
 * <pre>{@code
 * SchemaModel expected = SchemaInspector.forPublicSchema().inspect(snapshotDatabase);   // schema/ applied
 * SchemaModel actual = SchemaInspector.forPublicSchema().inspect(productionReadOnly);
 * SchemaDifferences drift = SchemaComparison.compare(expected, actual);
 * System.out.println(drift.render());
 * }</pre>
 * Depends only on JDBC (and Jackson annotations); nothing here imports provisioning, jOOQ or the command line.
 */
package com.airesumereview.db.inspection;
