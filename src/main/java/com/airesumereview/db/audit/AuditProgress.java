package com.airesumereview.db.audit;

/**
 * Where a running audit is: sent every {@link AuditEngine.Builder#progressEvery(long)} rows of a table and once when
 * a table is done.
 *
 * @param table      the table being read
 * @param rowsRead   rows of it read so far
 * @param failedRows of which could not be mapped
 * @param tableDone  true for the last report of this table
 */
public record AuditProgress(String table, long rowsRead, long failedRows, boolean tableDone) {
}
