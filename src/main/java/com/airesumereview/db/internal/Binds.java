package com.airesumereview.db.internal;

import java.util.Arrays;

/**
 * The bind values of one statement call, by parameter name: {@code Binds.of("max", n, "lock", d, "id", id)}.
 * The engine puts each value wherever its {@code DSL.param(name, type)} appears in the statement (once or many
 * times), so a call site never knows the render order. Names are checked against the statement's parameters on
 * every call: a missing, unknown or repeated name is a repository bug and fails before any SQL is sent.
 */
public final class Binds {
    private static final Binds NONE = new Binds(new Object[0]);

    /** Name, value, name, value, ...: the array {@link #of} was given (an internal API: callers pass literals). */
    private final Object[] pairs;

    private Binds(Object[] pairs) {
        this.pairs = pairs;
    }

    /** No bind values (a statement without parameters). */
    public static Binds none() {
        return NONE;
    }

    /** Name/value pairs: {@code Binds.of("email", email, "id", id)}. Values may be null (SQL NULL). */
    public static Binds of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Binds.of takes name/value pairs, got " + namesAndValues.length
                    + " arguments");
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("Binds.of: argument " + i + " must be a parameter name, was "
                        + namesAndValues[i]);
            }
            for (int j = 0; j < i; j += 2) {
                if (namesAndValues[j].equals(name)) {
                    throw new IllegalArgumentException("Binds.of: parameter '" + name + "' given twice");
                }
            }
        }
        return new Binds(namesAndValues);
    }

    /** These binds and one more (for statements chosen at run time, e.g. with or without a cursor). */
    public Binds and(String name, Object value) {
        if (indexOf(name) >= 0) {
            throw new IllegalArgumentException("Binds: parameter '" + name + "' given twice");
        }
        Object[] more = Arrays.copyOf(pairs, pairs.length + 2);
        more[pairs.length] = name;
        more[pairs.length + 1] = value;
        return new Binds(more);
    }

    int size() {
        return pairs.length / 2;
    }

    String name(int i) {
        return (String) pairs[2 * i];
    }

    /** The index of {@code name}, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return i / 2;
            }
        }
        return -1;
    }

    Object value(int i) {
        return pairs[2 * i + 1];
    }

    /** The names only: bind values never reach a message or a log. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Binds[");
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(i == 0 ? "" : ", ").append(pairs[i]);
        }
        return b.append(']').toString();
    }
}
