package com.airesumereview.db.schema;

import static com.airesumereview.db.schema.ConstraintViolation.UNIQUE;
import static com.airesumereview.db.schema.ConstraintViolation.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SnapshotDatabaseExtension.class)
class UniqueKeysTest {

    @Test
    void rejectsSecondUserWithSameEmail(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        rows.user("ada@example.com");

        assertRejected(() -> rows.user("ada@example.com"), UNIQUE, "users_email_key");
        assertThat(rows.count("users")).isEqualTo(1);
    }

    /**
     * Production's {@code users_email_key} is a plain UNIQUE on varchar, so it is case-sensitive: the
     * database alone accepts both spellings. Case-insensitive uniqueness is the library's job (the user
     * repository normalises emails to lowercase); this test pins the database fact it relies on.
     */
    @Test
    void acceptsEmailsThatDifferOnlyInCaseBecauseTheConstraintIsCaseSensitive(DataSource dataSource)
            throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID upper = rows.user("A@x.com");
        UUID lower = rows.user("a@x.com");

        assertThat(upper).isNotEqualTo(lower);
        assertThat(rows.queryForList("SELECT email FROM users ORDER BY email", String.class))
                .containsExactly("A@x.com", "a@x.com");
    }

    @Test
    void rejectsSecondRefreshTokenWithSameHash(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        String hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        rows.refreshToken(user, Map.of("token_hash", hash));

        assertRejected(() -> rows.refreshToken(user, Map.of("token_hash", hash)), UNIQUE,
                "refresh_tokens_token_hash_key");
        assertThat(rows.count("refresh_tokens")).isEqualTo(1);
    }

    @Test
    void rejectsSecondPromptWithSameName(DataSource dataSource) {
        SchemaRows rows = new SchemaRows(dataSource);

        assertRejected(() -> rows.prompt(Map.of("name", "content_analysis")), UNIQUE, "prompts_name_key");
    }
}
