package com.airesumereview.db.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The one place that turns a failure into text that may be printed or logged: the innermost cause's words,
 * with every password masked. The entry point, {@code DatabaseUrl}, the tools and the command line all use it.
 */
public final class Secrets {
    /** What a secret is replaced with. */
    public static final String MASK = "***";

    private Secrets() {
    }

    /** {@code text} with every occurrence of {@code secret} masked; null text gives {@code "no detail"}. */
    public static String scrub(String text, String secret) {
        return scrub(text, secret == null ? List.of() : List.of(secret));
    }

    /** {@code text} with every one of {@code secrets} masked (null and empty secrets are ignored). */
    public static String scrub(String text, Collection<String> secrets) {
        String out = text == null ? "no detail" : text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** The innermost cause's message (the driver's own words) with {@code secrets} masked. */
    public static String describe(Throwable e, String... secrets) {
        return scrub(rootMessage(e), Arrays.asList(secrets));
    }

    /** The innermost cause of {@code e} ({@code e} itself when it has none); safe against cause cycles. */
    public static Throwable rootCause(Throwable e) {
        Throwable root = e;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < 100) {
            root = root.getCause();
        }
        return root;
    }

    /** The message of the innermost cause, or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable root = rootCause(e);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
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
}
