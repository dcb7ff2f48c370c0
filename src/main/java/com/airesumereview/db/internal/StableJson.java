package com.airesumereview.db.internal;

import com.airesumereview.db.inspection.SchemaModel;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one JSON form of a {@link SchemaModel} and of verification reports: pretty, properties sorted by name,
 * {@code \n} line ends on every platform, a final newline. The model's lists are already sorted, so the same
 * structure always gives byte-identical text (which is what lets a test notice a stale bundled model).
 */
public final class StableJson {
    // Record properties are creator properties; without turning off "creator properties first" Jackson keeps
    // component order and ignores the alphabetical sort.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    // The default pretty printer uses the platform's line separator; a committed file must not depend on it.
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private StableJson() {
    }

    /** {@code value} (a model, a report, ...) as stable, pretty JSON ending with a newline. */
    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads a model written by {@link #write(Object)}; {@code source} names it in error messages. */
    public static SchemaModel readModel(InputStream in, String source) {
        try {
            return MAPPER.readValue(in, SchemaModel.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema model " + source + ": " + e.getMessage(), e);
        }
    }
}
