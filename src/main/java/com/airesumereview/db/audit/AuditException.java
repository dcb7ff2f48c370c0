package com.airesumereview.db.audit;

import com.airesumereview.db.ResumeReviewDbException;

/**
 * An audit could not run to the end (lost connection, a table that cannot be read at all); rows that merely
 * fail to map are not this, they are reported in the {@link AuditReport}. The message names the table and the
 * driver's reason, never a password or a row's secret values.
 */
public final class AuditException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message names the table and the driver's reason; never a password or a row's secret values
     * @param cause   the failure that stopped the audit, such as the driver's {@code SQLException}
     */
    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
