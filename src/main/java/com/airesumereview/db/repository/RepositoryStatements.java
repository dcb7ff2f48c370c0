package com.airesumereview.db.repository;

import com.airesumereview.db.internal.Statement;
import com.airesumereview.db.repository.internal.StatementCatalog;
import java.util.List;
import java.util.Objects;

/**
 * Tooling, not for services: the SQL text of every statement the repositories send, named
 * {@code repository.method} (e.g. {@code users.changeRole}). The {@code review} and {@code atlas} commands read it
 * to tell which repository methods read or write a column and which indexes their queries use; services call the
 * repository interfaces instead.
 */
public final class RepositoryStatements {
    private RepositoryStatements() {
    }

    /**
     * One statement as sent to the server.
     *
     * @param name  {@code repository.method}, e.g. {@code users.findByEmail}; one method may have several
     * @param sql   the SQL text with {@code ?} placeholders, tables and columns schema-qualified
     * @param write whether the statement writes (an insert, update or delete, possibly returning rows)
     */
    public record Text(String name, String sql, boolean write) {
        /**
         * Requires {@code name} and {@code sql} (a {@code NullPointerException} otherwise).
         *
         * @param name  {@code repository.method}, e.g. {@code users.findByEmail}
         * @param sql   the SQL text with {@code ?} placeholders
         * @param write whether the statement writes
         */
        public Text {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sql, "sql");
        }
    }

    /**
     * Every statement of every repository, in a stable order.
     *
     * @return the statements; one repository method may contribute several
     */
    public static List<Text> all() {
        return StatementCatalog.all().stream().map(RepositoryStatements::text).toList();
    }

    private static Text text(Statement<?> statement) {
        return new Text(statement.repository() + "." + statement.method(), statement.sql(), !statement.isRead());
    }
}
