package com.airesumereview.db.repository.internal;

import com.airesumereview.db.internal.Statement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Every statement the repositories hold, for the tools that tell which repository method reads or writes which
 * column ({@code review}, {@code atlas}). The statements are private constants of the {@code Postgres*Repository}
 * classes by design; they are found here by their type, in one place, so the repositories need no registry and the
 * tools follow any statement added or renamed without an edit here.
 */
public final class StatementCatalog {
    private static final List<Class<?>> REPOSITORIES = List.of(PostgresUserRepository.class,
            PostgresRefreshTokenRepository.class, PostgresFileUploadRepository.class, PostgresAnalysisRepository.class,
            PostgresPromptRepository.class, PostgresSchemaMigrationRepository.class);

    private StatementCatalog() {
    }

    /** The statements of every repository, in class then declaration order; duplicates (one object twice) once. */
    public static List<Statement<?>> all() {
        List<Statement<?>> out = new ArrayList<>();
        for (Class<?> repository : REPOSITORIES) {
            for (Field field : repository.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    collect(field.get(null), out);
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalStateException("cannot read " + repository.getSimpleName() + "." + field.getName()
                            + ": " + e.getMessage(), e);
                }
            }
        }
        return List.copyOf(out);
    }

    private static void collect(Object value, List<Statement<?>> out) {
        if (value instanceof Statement<?> statement) {
            if (out.stream().noneMatch(s -> s == statement)) {
                out.add(statement);
            }
        } else if (value instanceof Collection<?> many) {
            many.forEach(v -> collect(v, out));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, out));
        } else if (value instanceof Object[] array) {
            for (Object v : array) {
                collect(v, out);
            }
        }
    }
}
