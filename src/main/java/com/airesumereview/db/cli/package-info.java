/**
 * The command line ({@code java -jar resume-review-db-cli.jar}): thin picocli front ends on the library's engines.
 * {@link com.airesumereview.db.cli.Main} lists the commands, one class each:
 * <ul>
 *   <li>{@code verify} ({@code VerifyCommand}): compare a live database with the bundled snapshot;</li>
 *   <li>{@code audit} ({@code AuditCommand}): read every row of the eight tables through the repositories' mapping
 *       ({@link com.airesumereview.db.audit.AuditEngine}) and list the rows that cannot be mapped;</li>
 *   <li>{@code snapshot} ({@code SnapshotCommand}): capture a live database's structure as a new snapshot;</li>
 *   <li>{@code codegen} ({@code CodegenCommand}): regenerate the jOOQ code from {@code schema/};</li>
 *   <li>{@code demo} ({@code DemoCommand}): a day of the product on a throwaway (by default embedded) database,
 *       through the public API only, ending with audit and verify.</li>
 * </ul>
 * A new command is a new class added to {@code Main}'s {@code subcommands}, sharing {@code ConnectionOptions} as a
 * mixin and the exit codes {@link com.airesumereview.db.cli.Main#OK}, {@link com.airesumereview.db.cli.Main#FINDING},
 * {@link com.airesumereview.db.cli.Main#ERROR}. Nothing outside this package imports it.
 */
package com.airesumereview.db.cli;
