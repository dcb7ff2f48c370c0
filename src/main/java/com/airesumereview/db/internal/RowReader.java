package com.airesumereview.db.internal;

import java.sql.SQLException;

/**
 * Turns the current row of a result into a domain value, reading columns by their 1-based position in the
 * statement's select list. One per table, beside the select list it reads.
 *
 * @param <T> the domain type
 */
@FunctionalInterface
public interface RowReader<T> {
    T read(Row row) throws SQLException;
}
