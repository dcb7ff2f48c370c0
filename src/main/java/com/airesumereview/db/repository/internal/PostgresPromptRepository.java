package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.PROMPTS;
import static com.airesumereview.db.generated.Tables.PROMPT_HISTORY;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.insertInto;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.update;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.domain.NewPrompt;
import com.airesumereview.db.domain.NewPromptVersion;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.PromptUse;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.SelectField;
import com.airesumereview.db.repository.PromptRepository;

/** The one implementation of {@link PromptRepository}: statements built once, run by the engine. */
public final class PostgresPromptRepository implements PromptRepository {
    /** The select lists; {@link #PROMPT_ROW} and {@link #USE_ROW} read them by position. */
    static final List<SelectField<?>> PROMPT = List.of(PROMPTS.ID, PROMPTS.NAME, PROMPTS.DESCRIPTION,
            PROMPTS.TEMPLATE, PROMPTS.VERSION, PROMPTS.IS_ACTIVE, PROMPTS.PROMPT_TYPE, PROMPTS.CREATED_BY,
            PROMPTS.CREATED_AT, PROMPTS.UPDATED_AT);
    static final RowReader<Prompt> PROMPT_ROW = r -> new Prompt(r.uuid(1), r.string(2), r.string(3), r.string(4),
            r.integer(5), r.bool(6), r.vocabulary(7, PromptType::fromLiteral), r.uuid(8), r.instant(9), r.instant(10));
    static final List<SelectField<?>> USE = List.of(PROMPT_HISTORY.ID, PROMPT_HISTORY.PROMPT_ID,
            PROMPT_HISTORY.REQUEST_ID, PROMPT_HISTORY.PROMPT_VERSION, PROMPT_HISTORY.PROMPT_CONTENT,
            PROMPT_HISTORY.CREATED_AT);
    static final RowReader<PromptUse> USE_ROW = r -> new PromptUse(r.uuid(1), r.uuid(2), r.uuid(3), r.integer(4),
            r.string(5), r.instant(6));

    private static final Statement<Prompt> FIND_ACTIVE_BY_NAME = Statement.read("prompts.findActiveByName",
            select(PROMPT).from(PROMPTS).where(PROMPTS.NAME.eq(param("name", String.class)))
                    .and(PROMPTS.IS_ACTIVE.eq(inline(true))), PROMPT_ROW);
    private static final Statement<Prompt> LIST_ACTIVE_BY_TYPE = Statement.read("prompts.listActiveByType",
            select(PROMPT).from(PROMPTS).where(PROMPTS.PROMPT_TYPE.eq(param("type", PROMPTS.PROMPT_TYPE)))
                    .and(PROMPTS.IS_ACTIVE.eq(inline(true))).orderBy(PROMPTS.NAME), PROMPT_ROW);
    private static final Statement<Prompt> CREATE = Statement.write("prompts.create",
            insertInto(PROMPTS, PROMPTS.NAME, PROMPTS.DESCRIPTION, PROMPTS.TEMPLATE, PROMPTS.VERSION,
                    PROMPTS.IS_ACTIVE, PROMPTS.PROMPT_TYPE, PROMPTS.CREATED_BY)
                    .values(param("name", String.class), param("description", String.class),
                            param("template", String.class), inline(1), inline(true),
                            param("type", PROMPTS.PROMPT_TYPE), param("createdBy", UUID.class))
                    .returningResult(PROMPT), PROMPT_ROW);
    private static final Statement<Prompt> PUBLISH = Statement.write("prompts.publish",
            update(PROMPTS)
                    .set(PROMPTS.TEMPLATE, param("template", String.class))
                    .set(PROMPTS.DESCRIPTION, param("description", String.class))
                    .set(PROMPTS.VERSION, PROMPTS.VERSION.plus(inline(1)))
                    .where(PROMPTS.NAME.eq(param("name", String.class)))
                    .and(PROMPTS.VERSION.eq(param("version", Integer.class)))
                    .returningResult(PROMPT), PROMPT_ROW);
    private static final Statement<Prompt> FIND_BY_NAME = Statement.read("prompts.publish",
            select(PROMPT).from(PROMPTS).where(PROMPTS.NAME.eq(param("name", String.class))), PROMPT_ROW);
    private static final Statement<Prompt> FIND_BY_ID = Statement.read("prompts.recordUse",
            select(PROMPT).from(PROMPTS).where(PROMPTS.ID.eq(param("id", UUID.class))), PROMPT_ROW);
    private static final Statement<PromptUse> RECORD_USE = Statement.write("prompts.recordUse",
            insertInto(PROMPT_HISTORY, PROMPT_HISTORY.PROMPT_ID, PROMPT_HISTORY.REQUEST_ID,
                    PROMPT_HISTORY.PROMPT_VERSION, PROMPT_HISTORY.PROMPT_CONTENT)
                    .select(select(PROMPTS.ID, param("requestId", UUID.class), PROMPTS.VERSION, PROMPTS.TEMPLATE)
                            .from(PROMPTS)
                            .where(PROMPTS.ID.eq(param("promptId", UUID.class)))
                            .and(PROMPTS.VERSION.eq(param("version", Integer.class))))
                    .returningResult(USE), USE_ROW);
    private static final Statement<PromptUse> HISTORY_OF_REQUEST = Statement.read("prompts.historyOfRequest",
            select(USE).from(PROMPT_HISTORY).where(PROMPT_HISTORY.REQUEST_ID.eq(param("requestId", UUID.class)))
                    .orderBy(PROMPT_HISTORY.CREATED_AT, PROMPT_HISTORY.ID), USE_ROW);

    private final Database db;

    /** Called by {@code ResumeReviewDb}. */
    public PostgresPromptRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Prompt> findActiveByName(String name) {
        Rules.text("prompt.name", name, 100);
        return db.one(FIND_ACTIVE_BY_NAME, name);
    }

    @Override
    public List<Prompt> listActiveByType(PromptType type) {
        Rules.required("prompt.promptType", type);
        return db.list(LIST_ACTIVE_BY_TYPE, type.literal());
    }

    @Override
    public Prompt create(NewPrompt prompt) {
        Rules.required("prompt", prompt);
        Rules.nonBlank("prompt.name", prompt.name(), 100);
        Rules.optionalText("prompt.description", prompt.description(), 0);
        Rules.nonBlank("prompt.template", prompt.template(), 0);
        Rules.required("prompt.promptType", prompt.promptType());
        return db.one(CREATE, prompt.name(), prompt.description(), prompt.template(), prompt.promptType().literal(),
                prompt.createdBy()).orElseThrow();
    }

    @Override
    public Prompt publish(NewPromptVersion version) {
        Rules.required("prompt", version);
        String name = version.name();
        int expectedVersion = version.expectedVersion();
        String template = version.template();
        String description = version.description();
        Rules.text("prompt.name", name, 100);
        Rules.range("prompt.version", expectedVersion, 1, Integer.MAX_VALUE - 1);
        Rules.nonBlank("prompt.template", template, 0);
        Rules.optionalText("prompt.description", description, 0);
        return db.transition("prompt", name, "version " + expectedVersion, p -> "version " + p.version(),
                PUBLISH, FIND_BY_NAME, template, description, name, expectedVersion);
    }

    @Override
    public PromptUse recordUse(UUID requestId, Prompt prompt) {
        Rules.required("promptUse.requestId", requestId);
        Rules.required("promptUse.prompt", prompt);
        Rules.required("promptUse.promptId", prompt.id());
        UUID promptId = prompt.id();
        int version = prompt.version();
        Optional<PromptUse> used = db.one(RECORD_USE, requestId, promptId, version);
        if (used.isPresent()) {
            return used.get();
        }
        Prompt current = db.oneOnPrimary(FIND_BY_ID, promptId)
                .orElseThrow(() -> new NotFoundException("prompt", promptId.toString()));
        throw new StaleStateException("prompt", promptId.toString(), "version " + version,
                "version " + current.version());
    }

    @Override
    public List<PromptUse> historyOfRequest(UUID requestId) {
        Rules.required("promptUse.requestId", requestId);
        return db.list(HISTORY_OF_REQUEST, requestId);
    }
}
