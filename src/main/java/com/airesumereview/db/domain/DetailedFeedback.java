package com.airesumereview.db.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The free-form part of an analysis result, stored as the JSON value of
 * {@code analysis_results.detailed_feedback}. The domain's typed keys ({@code structureScores},
 * {@code appealScores}, {@code confidenceMetrics}, {@code analysisSummary}, {@code aiTokensUsed}) are keys
 * of that JSON object; {@link #raw()} is the whole value, so keys written by other services are kept on
 * a read and written back unchanged.
 *
 * <p>The constructor keeps both views consistent: a non-null typed component is set as its key of
 * {@code raw} (it wins over the same key in {@code raw}); a null typed component is read from {@code raw}
 * when the key is there with a value of the right JSON type, and stays null otherwise (the value is kept
 * in {@code raw}). When {@code raw} is not an object (production may hold an array, a string, a number,
 * {@code true} or {@code null}), every typed component is null and {@code raw} is that value;
 * giving typed components with such a {@code raw} is refused.
 * <pre>{@code
 * DetailedFeedback f = DetailedFeedback.of(structureScores, null, null, "Solid resume", 1234L);
 * f.raw();   // {"structureScores":{...},"analysisSummary":"Solid resume","aiTokensUsed":1234}
 * }</pre>
 *
 * <p>JSON nodes are mutable in Jackson: the record copies them in and hands out copies.
 *
 * @param structureScores   key {@code structureScores}: any JSON value, or null when absent
 * @param appealScores      key {@code appealScores}: any JSON value, or null when absent
 * @param confidenceMetrics key {@code confidenceMetrics}: any JSON value, or null when absent
 * @param analysisSummary   key {@code analysisSummary} when it is a JSON string, else null
 * @param aiTokensUsed      key {@code aiTokensUsed} when it is a JSON integer that fits a long, else null
 * @param raw               the whole JSON value of the column (never null; an empty object when built from
 *                          typed keys only)
 */
public record DetailedFeedback(
        JsonNode structureScores,
        JsonNode appealScores,
        JsonNode confidenceMetrics,
        String analysisSummary,
        Long aiTokensUsed,
        JsonNode raw) {

    /** JSON key of {@link #structureScores()}. */
    public static final String STRUCTURE_SCORES = "structureScores";
    /** JSON key of {@link #appealScores()}. */
    public static final String APPEAL_SCORES = "appealScores";
    /** JSON key of {@link #confidenceMetrics()}. */
    public static final String CONFIDENCE_METRICS = "confidenceMetrics";
    /** JSON key of {@link #analysisSummary()}. */
    public static final String ANALYSIS_SUMMARY = "analysisSummary";
    /** JSON key of {@link #aiTokensUsed()}. */
    public static final String AI_TOKENS_USED = "aiTokensUsed";

    /**
     * Merges the typed components into {@code raw} (see the type's description).
     *
     * @param structureScores   key {@code structureScores}, or null to read it from {@code raw}
     * @param appealScores      key {@code appealScores}, or null to read it from {@code raw}
     * @param confidenceMetrics key {@code confidenceMetrics}, or null to read it from {@code raw}
     * @param analysisSummary   key {@code analysisSummary}, or null to read it from {@code raw}
     * @param aiTokensUsed      key {@code aiTokensUsed}, or null to read it from {@code raw}
     * @param raw               the whole JSON value (copied); null or a missing node means an empty object
     * @throws IllegalArgumentException when {@code raw} is not a JSON object and a typed component is given
     */
    public DetailedFeedback {
        boolean typed = structureScores != null || appealScores != null || confidenceMetrics != null
                || analysisSummary != null || aiTokensUsed != null;
        if (raw == null || raw.isMissingNode()) {
            raw = JsonNodeFactory.instance.objectNode();
        }
        if (!raw.isObject()) {
            if (typed) {
                throw new IllegalArgumentException("detailedFeedback: typed keys need a JSON object, but raw is "
                        + raw.getNodeType());
            }
            raw = raw.deepCopy();
        } else {
            ObjectNode object = ((ObjectNode) raw).deepCopy();
            structureScores = merge(object, STRUCTURE_SCORES, structureScores);
            appealScores = merge(object, APPEAL_SCORES, appealScores);
            confidenceMetrics = merge(object, CONFIDENCE_METRICS, confidenceMetrics);
            if (analysisSummary != null) {
                object.put(ANALYSIS_SUMMARY, analysisSummary);
            } else if (object.path(ANALYSIS_SUMMARY).isTextual()) {
                analysisSummary = object.get(ANALYSIS_SUMMARY).textValue();
            }
            if (aiTokensUsed != null) {
                object.put(AI_TOKENS_USED, aiTokensUsed.longValue());
            } else {
                JsonNode tokens = object.path(AI_TOKENS_USED);
                if (tokens.isIntegralNumber() && tokens.canConvertToLong()) {
                    aiTokensUsed = tokens.longValue();
                }
            }
            raw = object;
        }
    }

    private static JsonNode merge(ObjectNode object, String key, JsonNode typed) {
        if (typed != null) {
            JsonNode copy = typed.deepCopy();
            object.set(key, copy);
            return copy.deepCopy();
        }
        JsonNode present = object.get(key);
        return present == null || present.isNull() ? null : present.deepCopy();
    }

    /**
     * Feedback with the typed keys only (null ones left out of the JSON object).
     *
     * @param structureScores   key {@code structureScores} (copied), or null to leave it out
     * @param appealScores      key {@code appealScores} (copied), or null to leave it out
     * @param confidenceMetrics key {@code confidenceMetrics} (copied), or null to leave it out
     * @param analysisSummary   key {@code analysisSummary}, or null to leave it out
     * @param aiTokensUsed      key {@code aiTokensUsed}, or null to leave it out
     * @return the feedback; its {@link #raw()} is an object holding just the non-null keys
     */
    public static DetailedFeedback of(JsonNode structureScores, JsonNode appealScores, JsonNode confidenceMetrics,
            String analysisSummary, Long aiTokensUsed) {
        return new DetailedFeedback(structureScores, appealScores, confidenceMetrics, analysisSummary, aiTokensUsed,
                null);
    }

    /**
     * The feedback a stored JSON value holds: any JSON value, typed keys read from it when it is an object.
     *
     * @param json the stored value (copied); null or a missing node means an empty object
     * @return the feedback; its {@link #raw()} is a copy of {@code json}
     */
    public static DetailedFeedback fromJson(JsonNode json) {
        return new DetailedFeedback(null, null, null, null, null, json);
    }

    /** {@return a copy of key {@code structureScores}, or null} */
    @Override
    public JsonNode structureScores() {
        return copy(structureScores);
    }

    /** {@return a copy of key {@code appealScores}, or null} */
    @Override
    public JsonNode appealScores() {
        return copy(appealScores);
    }

    /** {@return a copy of key {@code confidenceMetrics}, or null} */
    @Override
    public JsonNode confidenceMetrics() {
        return copy(confidenceMetrics);
    }

    /** {@return a copy of the whole JSON value, as stored in {@code detailed_feedback}; never null} */
    @Override
    public JsonNode raw() {
        return raw.deepCopy();
    }

    private static JsonNode copy(JsonNode node) {
        return node == null ? null : node.deepCopy();
    }
}
