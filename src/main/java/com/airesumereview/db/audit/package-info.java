/**
 * The audit: reads every row of the eight mapped tables through the repositories' own mapping, read-only and
 * streaming, and reports the rows the library cannot read ({@link com.airesumereview.db.audit.AuditEngine},
 * {@link com.airesumereview.db.audit.AuditReport}). Behind {@code ResumeReviewDb.audit()} and the {@code audit}
 * command.
 */
package com.airesumereview.db.audit;
