package com.airesumereview.db.internal;

import static com.airesumereview.db.generated.Tables.PROMPTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;

import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.MissingSchemaObjectException;
import com.airesumereview.db.UnmappableRowException;
import com.airesumereview.db.domain.NewPrompt;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The statement engine: built-once SQL, binds by name, reads by column, routing of reads, failures, observation. */
@ExtendWith(SnapshotDatabaseExtension.class)
class StatementEngineTest {
    private static final Field<Instant> AT = param("at", PROMPTS.CREATED_AT).as("at");
    private static final Statement<Instant> ECHO_INSTANT = Statement.read("test.echoInstant",
            select(AT), RowReader.column(AT));

    @Test
    void rendersOnceWithPositionalPlaceholdersAndNamesItsParameters() {
        Statement<String> s = Statement.read("prompts.byNameAndVersion",
                select(PROMPTS.NAME).from(PROMPTS).where(PROMPTS.NAME.eq(param("name", String.class)))
                        .and(PROMPTS.VERSION.eq(param("version", Integer.class))), RowReader.column(PROMPTS.NAME));
        assertThat(s.sql()).contains("\"public\".\"prompts\"").doesNotContain(":name").contains("?");
        assertThat(s.parameterNames()).containsExactly("name", "version");
        assertThat(s.repository()).isEqualTo("prompts");
        assertThat(s.method()).isEqualTo("byNameAndVersion");
        assertThat(s.isRead()).isTrue();
    }

    @Test
    void instantsRoundTripIncludingInfinityBcAndFarFuture(ProvisionedDatabase database) {
        try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
            Database engine = engine(db, OperationObserver.NONE);
            for (Instant at : List.of(Instant.MAX, Instant.MIN, Instant.parse("2025-09-09T10:11:12.123456Z"),
                    Instant.parse("-0100-01-01T00:00:00Z"), Instant.parse("+20000-01-01T00:00:00Z"))) {
                assertThat(engine.one(ECHO_INSTANT, Binds.of("at", at))).contains(at);
            }
        }
    }

    @Test
    void anUnknownCheckValueIsUnmappableNamingTableColumnValueAndConstraint(ProvisionedDatabase database)
            throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(database.dataSource());
        Prompt p = db.prompts().create(NewPrompt.builder()
                .name("drift").template("t").promptType(PromptType.SYSTEM).build());
        try (Connection c = database.ownerDataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            // What production would do after adding a type: the CHECK changes, the generated enum does not.
            st.execute("ALTER TABLE prompts DROP CONSTRAINT prompts_prompt_type_check");
            st.execute("UPDATE prompts SET prompt_type = 'critique' WHERE id = '" + p.id() + "'");
        }
        assertThatThrownBy(() -> db.prompts().findActiveByName("drift"))
                .isInstanceOfSatisfying(UnmappableRowException.class, e -> {
                    assertThat(e.table()).isEqualTo("prompts");
                    assertThat(e.column()).isEqualTo("prompt_type");
                    assertThat(e.value()).isEqualTo("'critique'");
                    assertThat(e.rule()).contains("prompts_prompt_type_check");
                });
    }

    @Test
    void aMissingTableIsAMissingSchemaObjectNotAForeignException(ProvisionedDatabase database) throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(database.dataSource());
        try (Connection c = database.ownerDataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("ALTER TABLE schema_migrations RENAME TO schema_migrations_gone");
        }
        assertThatThrownBy(() -> db.schemaMigrations().list())
                .isInstanceOfSatisfying(MissingSchemaObjectException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("42P01");
                    assertThat(e.getMessage()).contains("schemaMigrations.list").contains("verify");
                });
    }

    @Test
    void everyStatementIsObservedWithItsOutcome(ProvisionedDatabase database) {
        List<String> seen = new ArrayList<>();
        OperationObserver observer = (repository, method, nanos, failure) -> seen.add(repository + "." + method
                + (failure == null ? " ok" : " " + failure.getClass().getSimpleName()) + (nanos > 0 ? "" : " no-time"));
        try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
            Database engine = engine(db, observer);
            Statement<Prompt> create = Statement.write("prompts.create", org.jooq.impl.DSL.insertInto(PROMPTS,
                            PROMPTS.NAME, PROMPTS.TEMPLATE, PROMPTS.PROMPT_TYPE)
                    .values(param("name", String.class), param("template", String.class), param("type", PROMPTS.PROMPT_TYPE))
                    .returningResult(PROMPTS.ID), RowReader.of(List.of(PROMPTS.ID), r -> null));
            Binds binds = Binds.of("name", "observed", "template", "t", "type", PromptType.SYSTEM);
            engine.one(create, binds);
            assertThatThrownBy(() -> engine.one(create, binds)).isInstanceOf(DuplicateException.class);
        }
        assertThat(seen).containsExactly("prompts.create ok", "prompts.create DuplicateException");
    }

    @Test
    void readsInsideATransactionSeeItsOwnUncommittedWrites(ProvisionedDatabase database) {
        try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
            Optional<Prompt> seenInside = db.inTransaction(tx -> {
                tx.prompts().create(NewPrompt.builder()
                        .name("inside").template("t").promptType(PromptType.CONTENT).build());
                return tx.prompts().findActiveByName("inside");
            });
            assertThat(seenInside).isPresent();
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.prompts().create(NewPrompt.builder()
                        .name("rolled-back").template("t").promptType(PromptType.CONTENT).build());
                throw new IllegalStateException("undo");
            })).hasMessage("undo");
            assertThat(db.prompts().findActiveByName("rolled-back")).isEmpty();
        }
    }

    @Test
    void aRepeatedNameIsBoundInEveryPlaceItAppearsWhateverTheOrderOfTheBinds(ProvisionedDatabase database) {
        Field<Integer> sum = param("a", Integer.class).plus(param("b", Integer.class)).plus(param("a", Integer.class))
                .as("sum");
        Statement<Integer> s = Statement.read("test.sum", select(sum), RowReader.column(sum));
        assertThat(s.parameterNames()).containsExactly("a", "b");
        try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
            Database engine = engine(db, OperationObserver.NONE);
            assertThat(engine.one(s, Binds.of("b", 10, "a", 1))).contains(12);
            assertThat(engine.one(s, Binds.of("a", 100, "b", 2))).contains(202);
        }
    }

    @Test
    void aMissingUnknownOrMistypedNameFailsBeforeAnySqlNamingTheParameter(ProvisionedDatabase database) {
        Field<Integer> n = param("n", Integer.class).as("n");
        Statement<Integer> s = Statement.read("test.n", select(n), RowReader.column(n));
        try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
            Database engine = engine(db, OperationObserver.NONE);
            assertThatThrownBy(() -> engine.one(s, Binds.none())).hasMessageContaining("no bind value for parameter 'n'");
            assertThatThrownBy(() -> engine.one(s, Binds.of("n", 1, "m", 2))).hasMessageContaining("no parameter 'm'");
            assertThatThrownBy(() -> engine.one(s, Binds.of("n", 1L))).hasMessageContaining("'n' takes Integer, got Long");
        }
    }

    @Test
    void aBindValueWithoutANameIsRefusedWhenTheStatementIsBuilt() {
        assertThatThrownBy(() -> Statement.read("test.unnamed",
                select(PROMPTS.NAME).from(PROMPTS).where(PROMPTS.NAME.eq(org.jooq.impl.DSL.val("x"))),
                RowReader.column(PROMPTS.NAME)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no name");
    }

    @Test
    void aColumnTheReaderReadsButTheSelectListLacksFailsWhenTheStatementIsBuilt() {
        RowReader<String> reader = RowReader.of(List.of(PROMPTS.NAME, PROMPTS.TEMPLATE), r -> r.get(PROMPTS.TEMPLATE));
        assertThatThrownBy(() -> Statement.read("test.missing", select(PROMPTS.NAME).from(PROMPTS), reader))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"prompts\".\"template\"");
    }

    @Test
    void aReorderedSelectListCannotShiftARead(ProvisionedDatabase database) {
        List<org.jooq.SelectField<?>> columns = List.of(PROMPTS.NAME, PROMPTS.DESCRIPTION, PROMPTS.TEMPLATE,
                PROMPTS.VERSION);
        RowReader<String> reader = RowReader.of(columns, r -> r.get(PROMPTS.NAME) + "|" + r.get(PROMPTS.DESCRIPTION)
                + "|" + r.get(PROMPTS.TEMPLATE) + "|" + r.get(PROMPTS.VERSION));
        List<org.jooq.SelectField<?>> reversed = new ArrayList<>(columns);
        java.util.Collections.reverse(reversed);
        Statement<String> inOrder = Statement.read("test.inOrder", select(columns).from(PROMPTS)
                .where(PROMPTS.NAME.eq(param("name", String.class))), reader);
        Statement<String> inReverse = Statement.read("test.inReverse", select(reversed).from(PROMPTS)
                .where(PROMPTS.NAME.eq(param("name", String.class))), reader);
        try (ResumeReviewDb db = ResumeReviewDb.create(database.dataSource())) {
            db.prompts().create(NewPrompt.builder().name("shift").description("the description")
                    .template("the template").promptType(PromptType.SYSTEM).build());
            Database engine = engine(db, OperationObserver.NONE);
            assertThat(engine.one(inOrder, Binds.of("name", "shift")))
                    .contains("shift|the description|the template|1");
            assertThat(engine.one(inReverse, Binds.of("name", "shift")))
                    .isEqualTo(engine.one(inOrder, Binds.of("name", "shift")));
        }
    }

    /** An engine over the same transactions as {@code db}'s own. */
    private static Database engine(ResumeReviewDb db, OperationObserver observer) {
        return new Database(db.dsl(), (Transactions) db.dsl().configuration().transactionProvider(), null, observer,
                java.time.Duration.ZERO);
    }
}
