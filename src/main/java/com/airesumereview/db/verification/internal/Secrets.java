package com.airesumereview.db.verification.internal;

import java.util.Collection;

/** Keeps passwords out of text that is printed or logged. */
public final class Secrets {
    /** What a secret is replaced with. */
    public static final String MASK = "***";

    private Secrets() {
    }

    /** {@code text} with every occurrence of {@code secret} masked; null text gives {@code "no detail"}. */
    public static String scrub(String text, String secret) {
        if (text == null) {
            return "no detail";
        }
        return secret == null || secret.isEmpty() ? text : text.replace(secret, MASK);
    }

    /** {@code text} with every one of {@code secrets} masked. */
    public static String scrub(String text, Collection<String> secrets) {
        String out = text == null ? "no detail" : text;
        for (String secret : secrets) {
            out = scrub(out, secret);
        }
        return out;
    }

    /**
     * The address of a JDBC URL without its parameters or user info, which may hold credentials
     * ({@code password=}, {@code sslpassword=}); enough to name the database in output.
     */
    public static String address(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "an unnamed database";
        }
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        int at = base.indexOf('@');
        return at < 0 ? base : "jdbc:postgresql://" + base.substring(at + 1);
    }

    /** The message of the innermost cause (the driver's own words), or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
