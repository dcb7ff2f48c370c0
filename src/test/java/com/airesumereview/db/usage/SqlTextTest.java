package com.airesumereview.db.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.review.DdlScript;
import com.airesumereview.db.review.ReviewException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting DDL files and reading repository statements, without a database. */
class SqlTextTest {
    @Test
    void semicolonsInsideStringsCommentsIdentifiersAndDollarQuotesDoNotEndAStatement() {
        String file = "-- a; comment\n"
                + "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $fn$ BEGIN RETURN 'a;b'; END; $fn$;\n"
                + "/* outer /* nested; */ still; comment */ SELECT 'it''s; one', E'\\'; two', \"odd;name\";\n"
                + "\n"
                + "SELECT $$x;y$$";

        DdlScript script = DdlScript.parse("f.sql", file);

        assertThat(script.statements()).extracting(DdlScript.Statement::line).containsExactly(2, 3, 5);
        assertThat(script.statements().get(0).sql()).endsWith("$fn$");
        assertThat(script.statements().get(1).sql()).startsWith("SELECT 'it''s; one'").endsWith("\"odd;name\"");
    }

    @Test
    void anUnclosedQuoteOrAFileOfCommentsIsRefusedByName() {
        assertThatThrownBy(() -> DdlScript.parse("a.sql", "SELECT 1;\nSELECT 'open"))
                .isInstanceOf(ReviewException.class).hasMessage("a.sql: string constant opened on line 2 is never closed;"
                        + " the file is not complete SQL");
        assertThatThrownBy(() -> DdlScript.parse("b.sql", "-- only\n/* comments */\n;;"))
                .isInstanceOf(ReviewException.class).hasMessageStartingWith("b.sql holds no SQL statement");
    }

    @Test
    void readsTheColumnsAStatementReadsAndAssigns() {
        StatementColumns update = StatementColumns.of("users.changeRole", "update \"public\".\"users\" set \"role\" = ?,"
                + " \"updated_at\" = coalesce(\"public\".\"users\".\"locked_until\", now()) where \"public\".\"users\".\"id\" = ?"
                + " returning \"public\".\"users\".\"email\"", "public");
        StatementColumns insert = StatementColumns.of("t.upsert", "insert into \"public\".\"t\" as \"x\" (\"a\", \"b\")"
                + " values (?, ?) on conflict (\"a\") do update set \"c\" = \"x\".\"d\"", "public");

        assertThat(update.writes()).containsExactlyInAnyOrder("users.role", "users.updated_at");
        assertThat(update.reads()).containsExactlyInAnyOrder("users.locked_until", "users.id", "users.email");
        assertThat(insert.writes()).containsExactlyInAnyOrder("t.a", "t.b", "t.c");
        assertThat(insert.reads()).containsExactly("t.d");
        assertThat(StatementColumns.of("d", "delete from \"public\".\"t\" where \"public\".\"t\".\"id\" = ?", "public")
                .deletes()).isEqualTo(java.util.Set.of("t"));
        assertThat(List.of(update.tables(), insert.tables())).containsExactly(java.util.Set.of("users"), java.util.Set.of("t"));
    }
}
