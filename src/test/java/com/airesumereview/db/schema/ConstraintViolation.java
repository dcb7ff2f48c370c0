package com.airesumereview.db.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.SQLException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.postgresql.util.PSQLException;

/** Asserts that a statement was rejected by the database with a given SQLState and constraint. */
final class ConstraintViolation {
    static final String CHECK = "23514";
    static final String UNIQUE = "23505";
    static final String FOREIGN_KEY = "23503";

    private ConstraintViolation() {
    }

    /**
     * Runs {@code statement} and asserts it failed with {@code sqlState}, naming {@code constraint} both in
     * the message and in the server's structured error field.
     */
    static void assertRejected(ThrowingCallable statement, String sqlState, String constraint) {
        Throwable thrown = catchThrowable(statement);
        assertThat(thrown)
                .as("statement expected to violate %s (SQLState %s)", constraint, sqlState)
                .isInstanceOf(SQLException.class);
        SQLException e = (SQLException) thrown;
        assertThat(e.getSQLState()).as("SQLState of: %s", e.getMessage()).isEqualTo(sqlState);
        assertThat(e.getMessage()).as("message names the constraint").contains(constraint);
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            assertThat(psql.getServerErrorMessage().getConstraint())
                    .as("constraint reported by the server for: %s", e.getMessage())
                    .isEqualTo(constraint);
        }
    }
}
