/**
 * The command line ({@code java -jar resume-review-db-cli.jar}): thin picocli front ends on the library's engines.
 * {@link com.airesumereview.db.cli.Main} lists the commands; each is one class ({@code VerifyCommand},
 * {@code SnapshotCommand}, {@code CodegenCommand}); a new command (e.g. {@code audit}, {@code demo}) is a new
 * class added to {@code Main}'s {@code subcommands}, sharing {@code ConnectionOptions} as a mixin and the exit
 * codes {@link com.airesumereview.db.cli.Main#OK}, {@link com.airesumereview.db.cli.Main#FINDING},
 * {@link com.airesumereview.db.cli.Main#ERROR}. Nothing outside this package imports it.
 */
package com.airesumereview.db.cli;
