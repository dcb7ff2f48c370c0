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
import com.airesumereview.db.internal.Binds;
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
    /** The select lists {@link #PROMPT_ROW} and {@link #USE_ROW} read. */
    static final List<SelectField<?>> PROMPT = List.of(PROMPTS.ID, PROMPTS.NAME, PROMPTS.DESCRIPTION,
            PROMPTS.TEMPLATE, PROMPTS.VERSION, PROMPTS.IS_ACTIVE, PROMPTS.PROMPT_TYPE, PROMPTS.CREATED_BY,
            PROMPTS.CREATED_AT, PROMPTS.UPDATED_AT);
    static final RowReader<Prompt> PROMPT_ROW = RowReader.of(PROMPT, r -> new Prompt(r.get(PROMPTS.ID),
            r.get(PROMPTS.NAME), r.get(PROMPTS.DESCRIPTION), r.get(PROMPTS.TEMPLATE), r.get(PROMPTS.VERSION),
            r.get(PROMPTS.IS_ACTIVE), r.get(PROMPTS.PROMPT_TYPE), r.get(PROMPTS.CREATED_BY), r.get(PROMPTS.CREATED_AT),
            r.get(PROMPTS.UPDATED_AT)));
    static final List<SelectField<?>> USE = List.of(PROMPT_HISTORY.ID, PROMPT_HISTORY.PROMPT_ID,
            PROMPT_HISTORY.REQUEST_ID, PROMPT_HISTORY.PROMPT_VERSION, PROMPT_HISTORY.PROMPT_CONTENT,
            PROMPT_HISTORY.CREATED_AT);
    static final RowReader<PromptUse> USE_ROW = RowReader.of(USE, r -> new PromptUse(r.get(PROMPT_HISTORY.ID),
            r.get(PROMPT_HISTORY.PROMPT_ID), r.get(PROMPT_HISTORY.REQUEST_ID), r.get(PROMPT_HISTORY.PROMPT_VERSION),
            r.get(PROMPT_HISTORY.PROMPT_CONTENT), r.get(PROMPT_HISTORY.CREATED_AT)));

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
        return db.operation("prompts.findActiveByName", () -> {
            Rules.text("prompt.name", name, PROMPTS.NAME);
            return db.one(FIND_ACTIVE_BY_NAME, Binds.of("name", name));
        });
    }

    @Override
    public List<Prompt> listActiveByType(PromptType type) {
        return db.operation("prompts.listActiveByType", () -> {
            Rules.required("prompt.promptType", type);
            return db.list(LIST_ACTIVE_BY_TYPE, Binds.of("type", type));
        });
    }

    @Override
    public Prompt create(NewPrompt prompt) {
        return db.operation("prompts.create", () -> {
            Rules.required("prompt", prompt);
            Rules.nonBlank("prompt.name", prompt.name(), PROMPTS.NAME);
            Rules.optionalText("prompt.description", prompt.description(), PROMPTS.DESCRIPTION);
            Rules.nonBlank("prompt.template", prompt.template(), PROMPTS.TEMPLATE);
            Rules.required("prompt.promptType", prompt.promptType());
            return db.one(CREATE, Binds.of("name", prompt.name(), "description", prompt.description(),
                    "template", prompt.template(), "type", prompt.promptType(), "createdBy", prompt.createdBy()))
                    .orElseThrow();
        });
    }

    @Override
    public Prompt publish(NewPromptVersion version) {
        return db.operation("prompts.publish", () -> {
            Rules.required("prompt", version);
            String name = version.name();
            int expectedVersion = version.expectedVersion();
            String template = version.template();
            String description = version.description();
            Rules.text("prompt.name", name, PROMPTS.NAME);
            Rules.range("prompt.version", expectedVersion, 1, Integer.MAX_VALUE - 1);
            Rules.nonBlank("prompt.template", template, PROMPTS.TEMPLATE);
            Rules.optionalText("prompt.description", description, PROMPTS.DESCRIPTION);
            return db.transition("prompt", name, "version " + expectedVersion, p -> "version " + p.version(),
                    PUBLISH, Binds.of("template", template, "description", description, "name", name,
                            "version", expectedVersion), FIND_BY_NAME, Binds.of("name", name));
        });
    }

    /** Statement budget: 1, or 2 when the prompt changed (the second reads the version for the message). */
    @Override
    public PromptUse recordUse(UUID requestId, Prompt prompt) {
        return db.operation("prompts.recordUse", () -> {
            Rules.required("promptUse.requestId", requestId);
            Rules.required("promptUse.prompt", prompt);
            Rules.required("promptUse.promptId", prompt.id());
            UUID promptId = prompt.id();
            int version = prompt.version();
            Optional<PromptUse> used = db.one(RECORD_USE,
                    Binds.of("requestId", requestId, "promptId", promptId, "version", version));
            if (used.isPresent()) {
                return used.get();
            }
            Prompt current = db.oneOnPrimary(FIND_BY_ID, Binds.of("id", promptId))
                    .orElseThrow(() -> new NotFoundException("prompt", promptId.toString()));
            throw new StaleStateException("prompt", promptId.toString(), "version " + version,
                    "version " + current.version());
        });
    }

    @Override
    public List<PromptUse> historyOfRequest(UUID requestId) {
        return db.operation("prompts.historyOfRequest", () -> {
            Rules.required("promptUse.requestId", requestId);
            return db.list(HISTORY_OF_REQUEST, Binds.of("requestId", requestId));
        });
    }
}
