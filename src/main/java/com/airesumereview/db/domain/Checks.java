package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import java.util.regex.Pattern;

/**
 * The checks the input builders make at {@code build()}: required fields and the rules a value must meet
 * whatever the database. Lengths and storability are the repository's (it checks them before any SQL).
 */
final class Checks {
    /**
     * The forms passlib's bcrypt writes and verifies: {@code $2a$}, {@code $2b$} or {@code $2y$}, a two-digit
     * cost, then 53 characters of bcrypt's base64 (22 of salt, 31 of hash): 60 characters in all.
     */
    static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private Checks() {
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new ValidationException(field, "is required", "null");
        }
        return value;
    }

    static String nonBlank(String field, String value) {
        required(field, value);
        if (value.isBlank()) {
            throw new ValidationException(field, "must not be blank", "'" + value + "'");
        }
        return value;
    }

    static Integer score(String field, Integer value) {
        if (value != null && (value < 0 || value > 100)) {
            throw new ValidationException(field, "must be between 0 and 100", String.valueOf(value));
        }
        return value;
    }

    /** A bcrypt hash; the message never shows the value (it may be a password typed into the wrong field). */
    static String bcrypt(String field, String value) {
        if (value == null) {
            throw new ValidationException(field, "is required", "null");
        }
        if (!BCRYPT.matcher(value).matches()) {
            throw new ValidationException(field, "must be a bcrypt hash ($2a$, $2b$ or $2y$, cost 04..31, 60 characters),"
                    + " as the Python service's passlib writes; hash the password before storing it", "***");
        }
        return value;
    }
}
