package com.airesumereview.db.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one jsonb codec. Jackson's default limits (nesting 1,000, numbers of 1,000 digits, strings of 20 million
 * characters) are lower than what jsonb holds, and production rows beyond them must read back and write back;
 * numbers are kept exact ({@code BigDecimal}), as jsonb's {@code numeric} is.
 *
 * <p>Nesting is limited to {@value #MAX_NESTING} levels: the domain records copy JSON trees recursively, which
 * overflows a default thread stack at about 4,000 levels. A deeper value is refused on write and reported as
 * unmappable on read (the audit lists such rows).
 */
public final class Jsonb {
    /** JSON nesting levels read and written. */
    public static final int MAX_NESTING = 2_000;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxNumberLength(Integer.MAX_VALUE)
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNameLength(Integer.MAX_VALUE)
                            .build())
                    .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // 1.50 stays 1.50: jsonb keeps a number's scale, so a read-then-write keeps the row's text.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private Jsonb() {
    }

    /** The mapper behind the codec, for building trees ({@code mapper().createObjectNode()}). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses jsonb text. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** The text to bind for a jsonb parameter. */
    public static String write(JsonNode value) throws JsonProcessingException {
        return MAPPER.writeValueAsString(value);
    }
}
