package com.airesumereview.db;

import java.util.Objects;

/**
 * A setting is missing or has a value the library cannot work with. Raised when the configuration is built
 * (or read from the environment), before any connection is opened, so a wrong value fails at start-up; and, for
 * setting {@code pooler}, when the server shows the connection goes through a pooler the library is not configured
 * for (PgBouncer refusing a startup parameter, or a prepared statement missing on its server connection).
 * The message starts with the setting's name and says what is allowed; it never holds a password.
 * <pre>{@code
 * ResumeReviewDbConfig.builder().url(url).maximumPoolSize(0).build();
 * // ConfigurationException: maximumPoolSize must be between 1 and 500, was 0   (setting() = "maximumPoolSize")
 * }</pre>
 */
public class ConfigurationException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** The builder method or environment variable that is wrong. */
    private final String setting;

    /**
     * @param setting the builder method or environment variable, e.g. {@code maximumPoolSize} or {@code DATABASE_URL}
     * @param message starts with the setting and says what is allowed; never a password
     */
    public ConfigurationException(String setting, String message) {
        this(setting, message, null);
    }

    /**
     * Like {@link #ConfigurationException(String, String)}, keeping the exception that showed the problem.
     *
     * @param setting the builder method or environment variable, e.g. {@code maximumPoolSize} or {@code DATABASE_URL}
     * @param message starts with the setting and says what is allowed; never a password
     * @param cause   the exception that showed the problem (for example the driver's refusal), or null
     */
    public ConfigurationException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = Objects.requireNonNull(setting, "setting");
    }

    /**
     * The setting that is wrong.
     *
     * @return a builder method's name or an environment variable, e.g. {@code maximumPoolSize}; never null
     */
    public String setting() {
        return setting;
    }
}
