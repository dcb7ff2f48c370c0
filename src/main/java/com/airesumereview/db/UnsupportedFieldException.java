package com.airesumereview.db;

/**
 * A caller set a domain field or value that production's tables cannot hold (see field-mapping.csv,
 * strategy {@code unsupported}), e.g. upload status {@code uploading} or an analysis retry count.
 */
public class UnsupportedFieldException extends ValidationException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFieldException(String field, String why, String rejectedValue) {
        super(field, "not supported by the production schema: " + why, rejectedValue);
    }
}
