package com.airesumereview.db.repository;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;

/**
 * The Jackson factory for jsonb columns. Jackson's default limits (nesting 1,000, numbers of 1,000 digits, strings
 * of 20 million characters, names of 50,000) are lower than what jsonb holds: numbers of up to 131,072 digits,
 * values up to 255 MB, nesting as deep as the server's stack allows (about 10,000 levels with the default
 * {@code max_stack_depth}); production rows beyond Jackson's defaults must still read back and write back.
 *
 * <p>Nesting is limited to {@value #MAX_NESTING} levels, not unlimited: the domain records copy JSON trees
 * recursively (Jackson's {@code deepCopy}), which overflows a default 1 MB thread stack at about 4,000 levels.
 * A deeper value fails to read with Jackson's message naming the limit (the audit lists such rows).
 */
final class JsonbReading {
    /** JSON nesting levels read and written; deeper values are refused with a message naming this limit. */
    static final int MAX_NESTING = 2_000;

    private JsonbReading() {
    }

    static JsonFactory factory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNameLength(Integer.MAX_VALUE)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                .build();
    }
}
