package com.airesumereview.db.verification;

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
}
