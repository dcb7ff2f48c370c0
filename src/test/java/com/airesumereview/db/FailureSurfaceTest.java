package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every public method of every repository, called against a closed database, against a database missing
 * each table, and over rows the code cannot map, throws nothing but the library's own exceptions (and never
 * the hierarchy's root type itself). The methods are found by reflection, so a new repository method is
 * covered without touching this test.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class FailureSurfaceTest {
    /** Every row this test inserts uses this id, so that every UUID argument finds a row to read. */
    private static final UUID ID = UUID.fromString("00000000-0000-4000-8000-00000000abcd");
    private static final List<String> TABLES = List.of("users", "refresh_tokens", "file_uploads",
            "analysis_requests", "analysis_results", "prompts", "prompt_history", "schema_migrations");

    @Test
    void aClosedDatabaseRaisesOnlyLibraryExceptions(ProvisionedDatabase database) {
        ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(database.url())
                .schemaCheck(SchemaCheck.OFF).build());
        db.close();
        List<String> foreign = callEverything(db);
        assertThat(foreign).as("exceptions outside the library's hierarchy after close()").isEmpty();
    }

    @Test
    void aMissingTableRaisesOnlyLibraryExceptions(ProvisionedDatabase database) throws SQLException {
        for (String table : TABLES) {
            try (Connection c = database.ownerDataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("ALTER TABLE " + table + " RENAME TO " + table + "_gone");
                c.commit();
                try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
                    List<String> foreign = callEverything(db);
                    assertThat(foreign).as("exceptions outside the hierarchy with table %s missing", table).isEmpty();
                } finally {
                    st.execute("ALTER TABLE " + table + "_gone RENAME TO " + table);
                    c.commit();
                }
            }
        }
    }

    @Test
    void unmappableRowsRaiseOnlyLibraryExceptions(ProvisionedDatabase database) throws SQLException {
        try (Connection c = database.ownerDataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            // What production could hold after a DDL change the snapshot does not know: new vocabulary values,
            // and jsonb deeper than the library reads.
            st.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT conrelid::regclass AS t, conname FROM pg_constraint"
                    + " WHERE contype = 'c' AND connamespace = 'public'::regnamespace LOOP"
                    + " EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname); END LOOP; END $$");
            String deep = "'" + "[".repeat(3000) + "]".repeat(3000) + "'::jsonb";
            st.execute("INSERT INTO users (id, email, password_hash, first_name, last_name, role, failed_login_attempts)"
                    + " VALUES ('" + ID + "', 'probe@example.com', 'h', 'P', 'Q', 'auditor', 0)");
            st.execute("INSERT INTO refresh_tokens (id, user_id, token_hash, session_id, status, expires_at) VALUES ('" + ID
                    + "', '" + ID + "', repeat('a', 64), '" + ID + "', 'suspended', now() + interval '1 day')");
            st.execute("INSERT INTO file_uploads (id, user_id, filename, original_filename, file_size, mime_type, file_hash, status,"
                    + " experience_level, detected_sections) VALUES ('" + ID + "', '" + ID + "', 'f.pdf', 'f.pdf', 1,"
                    + " 'application/pdf', repeat('b', 64), 'quarantined', 'principal', " + deep + ")");
            st.execute("INSERT INTO analysis_requests (id, user_id, original_filename, file_path, file_size_bytes, mime_type,"
                    + " status, target_role, experience_level) VALUES ('" + ID + "', '" + ID + "', 'f.pdf', '/f', 1,"
                    + " 'application/pdf', 'archived', 'dev', 'principal')");
            st.execute("INSERT INTO analysis_results (id, request_id, overall_score, ai_model_used, detailed_feedback)"
                    + " VALUES ('" + ID + "', '" + ID + "', 50, 'm', " + deep + ")");
            st.execute("INSERT INTO prompts (id, name, template, prompt_type) VALUES ('" + ID
                    + "', 'probe@example.com', 't', 'critique')");
        }
        try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
            List<String> foreign = callEverything(db);
            assertThat(foreign).as("exceptions outside the hierarchy over unmappable rows").isEmpty();
        }
    }

    /** Calls every public method of every repository; returns a line per exception outside the hierarchy. */
    private static List<String> callEverything(ResumeReviewDb db) {
        List<String> foreign = new ArrayList<>();
        int called = 0;
        for (Method accessor : repositoryAccessors()) {
            Object repository;
            try {
                repository = accessor.invoke(db);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(accessor.getName(), e);
            }
            for (Method m : publicMethods(accessor.getReturnType())) {
                called++;
                try {
                    m.invoke(Modifier.isStatic(m.getModifiers()) ? null : repository, arguments(m));
                } catch (InvocationTargetException e) {
                    Throwable t = e.getCause();
                    if (!(t instanceof ResumeReviewDbException) || t.getClass() == ResumeReviewDbException.class) {
                        foreign.add(accessor.getName() + "()." + m.getName() + ": " + t);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(m.toString(), e);
                }
            }
        }
        assertThat(called).as("repository methods called").isGreaterThan(40);
        return foreign;
    }

    private static List<Method> repositoryAccessors() {
        return Arrays.stream(ResumeReviewDb.class.getMethods())
                .filter(m -> m.getParameterCount() == 0
                        && m.getReturnType().getPackageName().equals("com.airesumereview.db.repository"))
                .sorted(Comparator.comparing(Method::getName))
                .toList();
    }

    private static List<Method> publicMethods(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getDeclaringClass() == type)
                .sorted(Comparator.comparing(Method::toString))
                .toList();
    }

    private static Object[] arguments(Method m) {
        Type[] types = m.getGenericParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = sample(types[i]);
        }
        return args;
    }

    /** A plausible value of each type, valid where it can be, so that calls reach the database. */
    private static Object sample(Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == UUID.class) {
            return ID;
        } else if (raw == String.class) {
            return "probe@example.com";
        } else if (raw == int.class || raw == Integer.class) {
            return 1;
        } else if (raw == long.class || raw == Long.class) {
            return 1L;
        } else if (raw == boolean.class || raw == Boolean.class) {
            return true;
        } else if (raw == double.class || raw == Double.class) {
            return 1.0;
        } else if (raw == Duration.class) {
            return Duration.ofMinutes(5);
        } else if (raw == Instant.class) {
            return Instant.now().plus(Duration.ofDays(1));
        } else if (raw.isEnum()) {
            return raw.getEnumConstants()[0];
        } else if (raw == List.class || raw == java.util.Collection.class || raw == Iterable.class) {
            Type element = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : String.class;
            Object one = sample(element);
            return one == null ? List.of() : List.of(one);
        } else if (raw == Set.class) {
            return Set.of("probe");
        } else if (raw == Map.class) {
            return Map.of();
        } else if (raw == Optional.class) {
            return Optional.empty();
        } else if (raw == OptionalLong.class) {
            return OptionalLong.empty();
        } else if (com.fasterxml.jackson.databind.JsonNode.class.isAssignableFrom(raw)) {
            return JsonNodeFactory.instance.objectNode().put("probe", 1);
        } else if (raw.isRecord()) {
            RecordComponent[] components = raw.getRecordComponents();
            Class<?>[] ctorTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Object[] values = Arrays.stream(components).map(rc -> sample(rc.getGenericType())).toArray();
            try {
                return raw.getDeclaredConstructor(ctorTypes).newInstance(values);
            } catch (InvocationTargetException e) {
                return null; // the record refuses these values itself; null reaches the method's own check
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(raw.getName(), e);
            }
        }
        return null;
    }
}
