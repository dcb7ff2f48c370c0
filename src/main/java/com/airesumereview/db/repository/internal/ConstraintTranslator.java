package com.airesumereview.db.repository.internal;

import com.airesumereview.db.internal.SqlFailures;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/**
 * Raises the library's exceptions for the statements jOOQ executes itself (queries a service writes through
 * {@code ResumeReviewDb.dsl()}; the repositories' own, routine calls included, run through the engine): every SQL
 * failure goes through the one
 * classifier, {@link SqlFailures}. Installed on every jOOQ configuration the library builds.
 */
public final class ConstraintTranslator implements ExecuteListener {
    private static final long serialVersionUID = 1L;

    @Override
    public void exception(ExecuteContext ctx) {
        if (ctx.sqlException() != null) {
            ctx.exception(SqlFailures.translate(ctx.sqlException(), "statement"));
        }
    }
}
