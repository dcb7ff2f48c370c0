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

    @Test
    void readsHostListsInBothForms() {
        DatabaseUrl libpq = DatabaseUrl.parse("postgresql://app:pw@db-1:5432,db-2:5433/ai_resume_review?sslmode=require");
        DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://db-1:5432,db-2:5433/ai_resume_review?sslmode=require&user=app");
        assertThat(libpq.jdbcUrl()).isEqualTo("jdbc:postgresql://db-1:5432,db-2:5433/ai_resume_review?sslmode=require");
        assertThat(jdbc.jdbcUrl()).isEqualTo(libpq.jdbcUrl());
        assertThat(libpq.hosts()).containsExactly("db-1:5432", "db-2:5433");
        assertThat(libpq.onHost("db-2:5433").jdbcUrl()).isEqualTo("jdbc:postgresql://db-2:5433/ai_resume_review?sslmode=require");
        assertThat(libpq.onHost("db-2:5433").password()).isEqualTo("pw");
        assertThat(DatabaseUrl.parse("postgresql://[::1]:5432,db/x").hosts()).containsExactly("[::1]:5432", "db");
    }

    @Test
    void namesThePortWhenItIsNotANumber() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:hunter2@db:abc/x"))
                .isInstanceOf(DatabaseUrl.InvalidDatabaseUrlException.class)
                .hasMessageContaining("port 'abc' for host db")
                .hasMessageContaining("number from 1 to 65535")
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("no host");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db-1:5432,db-2:70000/x"))
                .hasMessageContaining("port '70000' for host db-2 (entry 2 of the host list)");
    }

    @Test
    void namesAnEmptyOrMalformedHost() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db-1:5432,/x")).hasMessageContaining("has no host (entry 2 of the host list)");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///x")).hasMessageContaining("has no host");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db one:5432/x")).hasMessageContaining("host 'db one'");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://[::1:5432/x")).hasMessageContaining("no closing ']'");
    }

    @Test
    void refusesADriverOptionThatCannotBeValidNamingIt() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db/x?sslmode=bogus"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sslmode='bogus'")
                .hasMessageContaining("verify-full");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db/x?sslmod=require"))
                .hasMessageContaining("parameter 'sslmod'").hasMessageContaining("does not know");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db/x?connectTimeout=soon"))
                .hasMessageContaining("connectTimeout='soon'").hasMessageContaining("whole number");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db/x?ssl=maybe"))
                .hasMessageContaining("ssl='maybe'").hasMessageContaining("true or false");
    }

    @Test
    void translatesLibpqParameterNames() {
        assertThat(DatabaseUrl.parse("postgresql://db/x?application_name=worker&connect_timeout=5").jdbcUrl())
                .isEqualTo("jdbc:postgresql://db/x?ApplicationName=worker&connectTimeout=5");
        assertThat(DatabaseUrl.parse("postgresql://db-1,db-2/x?target_session_attrs=read-write").jdbcUrl())
                .isEqualTo("jdbc:postgresql://db-1,db-2/x?targetServerType=primary");
    }
}
