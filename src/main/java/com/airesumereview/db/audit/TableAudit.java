package com.airesumereview.db.audit;

import java.util.List;
import java.util.Objects;

/**
 * What the audit found in one table.
 *
 * @param table      the table, e.g. {@code users}
 * @param rowsRead   every row of the table (in the audit's snapshot), mapped or not
 * @param failedRows how many of them could not be mapped
 * @param failures   the first of them (at most the audit's limit), in the order read
 */
public record TableAudit(String table, long rowsRead, long failedRows, List<RowFailure> failures) {
    /**
     * Requires {@code table}; keeps an unmodifiable copy of {@code failures}.
     *
     * @param table      the table, e.g. {@code users}
     * @param rowsRead   every row of the table in the audit's snapshot
     * @param failedRows how many of them could not be mapped
     * @param failures   the first of them, in the order read; not null
     */
    public TableAudit {
        Objects.requireNonNull(table, "table");
        failures = List.copyOf(failures);
    }

    /**
     * True when every row mapped.
     *
     * @return whether {@code failedRows} is 0
     */
    public boolean isClean() {
        return failedRows == 0;
    }
}
