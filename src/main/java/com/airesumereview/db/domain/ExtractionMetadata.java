package com.airesumereview.db.domain;

import com.airesumereview.db.UnsupportedFieldException;
import com.airesumereview.db.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What text extraction learned about a file. The domain's single JSON object is split across the columns
 * {@code word_count}, {@code character_count}, {@code extraction_method} and {@code detected_sections}
 * of {@code file_uploads}; any other key (page count, ...) has no column and cannot be stored, so it is not a
 * component: {@link #fromJson} refuses a JSON object that carries one with
 * {@link com.airesumereview.db.UnsupportedFieldException}, naming the keys, before anything is written.
 *
 * <pre>{@code
 * ExtractionMetadata m = ExtractionMetadata.of(412, 2630, "pdfplumber", json.readTree("[\"experience\",\"education\"]"));
 * ExtractionMetadata fromService = ExtractionMetadata.fromJson(json.readTree("{\"wordCount\": 412}"));
 * ExtractionMetadata.fromJson(json.readTree("{\"pageCount\": 2}"));   // UnsupportedFieldException: pageCount
 * }</pre>
 *
 * @param wordCount        words in the extracted text; null when unknown (any int production holds reads back)
 * @param characterCount   characters in the extracted text; null when unknown
 * @param extractionMethod the extractor, e.g. {@code pdfplumber} (at most 50 characters); null when unknown
 * @param detectedSections the detected resume sections as any JSON value (production documents an array,
 *                         but the column is {@code jsonb}); Java null is SQL NULL, a JSON {@code null} is
 *                         {@link com.fasterxml.jackson.databind.node.NullNode}
 */
public record ExtractionMetadata(Integer wordCount, Integer characterCount, String extractionMethod,
                                 JsonNode detectedSections) {
    /** No metadata at all: every column NULL. */
    public static final ExtractionMetadata EMPTY = new ExtractionMetadata(null, null, null, null);

    /**
     * Deep-copies the JSON, so the record stays immutable. No value is checked here.
     *
     * @param wordCount        words in the extracted text, or null when unknown
     * @param characterCount   characters in the extracted text, or null when unknown
     * @param extractionMethod the extractor's name, or null when unknown
     * @param detectedSections the detected sections (copied); Java null is SQL NULL
     */
    public ExtractionMetadata {
        detectedSections = detectedSections == null ? null : detectedSections.deepCopy();
    }

    /**
     * Metadata with only the stored keys.
     *
     * @param wordCount        words in the extracted text, or null when unknown
     * @param characterCount   characters in the extracted text, or null when unknown
     * @param extractionMethod the extractor's name (at most 50 characters), or null when unknown
     * @param detectedSections the detected sections (copied); Java null is SQL NULL
     * @return the metadata
     */
    public static ExtractionMetadata of(Integer wordCount, Integer characterCount, String extractionMethod,
                                        JsonNode detectedSections) {
        return new ExtractionMetadata(wordCount, characterCount, extractionMethod, detectedSections);
    }

    /**
     * Reads the domain's JSON object: {@code wordCount}, {@code characterCount}, {@code extractionMethod} and
     * {@code detectedSections} go to their components (a JSON {@code null} count or method is null; an absent
     * {@code detectedSections} is SQL NULL, a JSON {@code null} one is kept as JSON null).
     *
     * @param json the domain's JSON object; null is refused
     * @return the metadata; equal to {@link #EMPTY} for an empty object
     * @throws com.airesumereview.db.UnsupportedFieldException (field {@code fileUpload.extractionMetadata}) naming
     *                             every other key: {@code file_uploads} has no column for it
     *
     * @throws ValidationException naming the key when {@code json} is not an object, a count is not an int,
     *                             or the method is not a string
     */
    public static ExtractionMetadata fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new ValidationException("fileUpload.extractionMetadata", "must be a JSON object",
                    json == null ? "null" : abbreviate(json.toString()));
        }
        Integer words = null;
        Integer characters = null;
        String method = null;
        JsonNode sections = null;
        List<String> other = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "wordCount" -> words = integer("wordCount", v);
                case "characterCount" -> characters = integer("characterCount", v);
                case "extractionMethod" -> {
                    if (!v.isNull() && !v.isTextual()) {
                        throw new ValidationException("fileUpload.extractionMetadata.extractionMethod",
                                "must be a JSON string", abbreviate(v.toString()));
                    }
                    method = v.isNull() ? null : v.textValue();
                }
                case "detectedSections" -> sections = v;
                default -> other.add(e.getKey());
            }
        }
        if (!other.isEmpty()) {
            throw new UnsupportedFieldException("fileUpload.extractionMetadata",
                    "file_uploads has no column for the keys " + String.join(", ", other)
                            + " (only wordCount, characterCount, extractionMethod, detectedSections are stored)",
                    abbreviate(other.toString()));
        }
        return new ExtractionMetadata(words, characters, method, sections);
    }

    /** {@return the domain's JSON object: a new object with the non-null components only} */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (wordCount != null) {
            o.put("wordCount", wordCount);
        }
        if (characterCount != null) {
            o.put("characterCount", characterCount);
        }
        if (extractionMethod != null) {
            o.put("extractionMethod", extractionMethod);
        }
        if (detectedSections != null) {
            o.set("detectedSections", detectedSections.deepCopy());
        }
        return o;
    }

    /** {@return true when nothing is known: every component null} */
    public boolean isEmpty() {
        return wordCount == null && characterCount == null && extractionMethod == null && detectedSections == null;
    }

    private static Integer integer(String key, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ValidationException("fileUpload.extractionMetadata." + key, "must be a JSON integer that fits an int",
                    abbreviate(v.toString()));
        }
        return v.intValue();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? "'" + s.substring(0, 60) + "...'" : "'" + s + "'";
    }
}
