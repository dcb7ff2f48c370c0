/**
 * Verification: does a live database still have the structure the generated code was generated from?
 * <ul>
 *   <li>{@link com.airesumereview.db.internal.BundledSchemaModel} reads that structure from the jar (JSON written
 *       by the code generator), so no Flyway or throwaway database is needed at run time;</li>
 *   <li>{@link com.airesumereview.db.inspection.LiveSchema} reads a live database strictly read-only;</li>
 *   <li>{@link com.airesumereview.db.verification.SchemaVerifier} compares the two into a
 *       {@link com.airesumereview.db.verification.VerificationReport} with a
 *       {@link com.airesumereview.db.verification.Verdict}.</li>
 * </ul>
 * The one engine behind {@code resume-review-db verify}, {@code ResumeReviewDb.verifySchema()} and the start-up
 * check. Depends on {@code inspection}, JDBC and Jackson; never on provisioning, Flyway or the command line.
 */
package com.airesumereview.db.verification;
