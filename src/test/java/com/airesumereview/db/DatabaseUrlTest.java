package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void readsTheLibpqFormTheServicesUse() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s%40cret@db.internal:6432/ai_resume_review?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/ai_resume_review?sslmode=require");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.database()).isEqualTo("ai_resume_review");
    }

    @Test
    void readsTheShortPostgresScheme() {
        assertThat(DatabaseUrl.parse("postgres://u@localhost/db").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/db");
    }

    @Test
    void readsTheJdbcFormAndTakesCredentialsOutOfTheQuery() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=pw&ApplicationName=x");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres?ApplicationName=x");
        assertThat(url.user()).isEqualTo("postgres");
        assertThat(url.password()).isEqualTo("pw");
    }

    @Test
    void neverPrintsThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:hunter2@db:5432/x");
        assertThat(url.toString()).doesNotContain("hunter2").contains("***").contains("app");
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://app:hunter2@db/x"))
                .isInstanceOf(DatabaseUrl.InvalidDatabaseUrlException.class)
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("must start with postgresql://");
    }

    @Test
    void rejectsUrlsWithoutHostOrDatabaseNamingTheRule() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db:5432/")).hasMessageContaining("names no database");
        assertThatThrownBy(() -> DatabaseUrl.parse("  ")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> DatabaseUrl.parse(null)).hasMessageContaining("is empty");
    }

    @Test
    void swapsDatabaseAndCredentialsKeepingTheRest() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h:1/a?sslmode=disable").withDatabase("b").withCredentials("u", "p");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/b?sslmode=disable");
        assertThat(url.user()).isEqualTo("u");
        assertThat(url.password()).isEqualTo("p");
    }
}
