package com.airesumereview.db;

/**
 * A caller set a domain field or value that production's tables cannot hold (see field-mapping.csv,
 * strategy {@code unsupported}), e.g. upload status {@code uploading} or an analysis retry count.
 */
public class UnsupportedFieldException extends ValidationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param field         the domain field, e.g. {@code fileUpload.status}
     * @param why           why production's tables cannot hold it, e.g. the value has no column or literal
     * @param rejectedValue a printable form of the value; {@code ***} for secrets
     */
    public UnsupportedFieldException(String field, String why, String rejectedValue) {
        super(field, "not supported by the production schema: " + why, rejectedValue);
    }
}
