package com.airesumereview.db.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VocabularyReaderTest {

    @Test
    void readsTheListAsPostgres15PrintsIt() {
        var v = VocabularyReader.parse("public", "users", "role", "users_role_check",
                "CHECK (((role)::text = ANY (ARRAY[('consultant'::character varying)::text, ('admin'::character varying)::text])))");
        assertThat(v).hasValueSatisfying(x -> {
            assertThat(x.values()).containsExactly("consultant", "admin");
            assertThat(x.nullAllowed()).isFalse();
        });
    }

    @Test
    void readsTheListAsPgDumpPrintedIt() {
        var v = VocabularyReader.parse("public", "users", "role", "users_role_check",
                "CHECK (((role)::text = ANY ((ARRAY['consultant'::character varying, 'admin'::character varying])::text[])))");
        assertThat(v).hasValueSatisfying(x -> assertThat(x.values()).containsExactly("consultant", "admin"));
    }

    @Test
    void notesAnExplicitNullAlternative() {
        var v = VocabularyReader.parse("public", "file_uploads", "experience_level", "chk",
                "CHECK ((((experience_level)::text = ANY (ARRAY[('junior'::character varying)::text, ('mid'::character varying)::text]))"
                        + " OR (experience_level IS NULL)))");
        assertThat(v).hasValueSatisfying(x -> {
            assertThat(x.values()).containsExactly("junior", "mid");
            assertThat(x.nullAllowed()).isTrue();
        });
    }

    @Test
    void keepsQuotesInsideValues() {
        var v = VocabularyReader.parse("public", "t", "c", "k",
                "CHECK (((c)::text = ANY (ARRAY[('it''s'::character varying)::text, ('b'::character varying)::text])))");
        assertThat(v).hasValueSatisfying(x -> assertThat(x.values()).containsExactly("it's", "b"));
    }

    @Test
    void ignoresRangesAndOtherShapes() {
        assertThat(VocabularyReader.parse("public", "analysis_results", "overall_score", "k",
                "CHECK (((overall_score >= 0) AND (overall_score <= 100)))")).isEmpty();
        assertThat(VocabularyReader.parse("public", "t", "c", "k",
                "CHECK (((c)::text <> ALL (ARRAY[('x'::character varying)::text])))")).isEmpty();
        assertThat(VocabularyReader.parse("public", "t", "c", "k",
                "CHECK ((((c)::text = ANY (ARRAY[('x'::character varying)::text])) OR (d IS NULL)))")).isEmpty();
    }

    @Test
    void enumConstantNamesAreValidJava() {
        assertThat(EnumSource.constantName("in-progress")).isEqualTo("IN_PROGRESS");
        assertThat(EnumSource.constantName("2fa")).isEqualTo("V_2FA");
        assertThat(EnumSource.constantName("")).isEqualTo("EMPTY");
    }
}
