package com.airesumereview.db.internal;

import java.util.Arrays;

/**
 * The bind values of one statement call, by parameter name: {@code Binds.of("max", n, "lock", d, "id", id)}.
 * The engine puts each value wherever its {@code DSL.param(name, type)} appears in the statement (once or many
 * times), so a call site never knows the render order. Names are checked against the statement's parameters on
 * every call: a missing, unknown or repeated name is a repository bug and fails before any SQL is sent.
 */
public final class Binds {
    private static final Binds NONE = new Binds(new String[0], new Object[0]);

    private final String[] names;
    private final Object[] values;

    private Binds(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
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
        int n = namesAndValues.length / 2;
        String[] names = new String[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            if (!(namesAndValues[2 * i] instanceof String name)) {
                throw new IllegalArgumentException("Binds.of: argument " + 2 * i + " must be a parameter name, was "
                        + namesAndValues[2 * i]);
            }
            for (int j = 0; j < i; j++) {
                if (names[j].equals(name)) {
                    throw new IllegalArgumentException("Binds.of: parameter '" + name + "' given twice");
                }
            }
            names[i] = name;
            values[i] = namesAndValues[2 * i + 1];
        }
        return new Binds(names, values);
    }

    /** These binds and one more (for statements chosen at run time, e.g. with or without a cursor). */
    public Binds and(String name, Object value) {
        for (String existing : names) {
            if (existing.equals(name)) {
                throw new IllegalArgumentException("Binds: parameter '" + name + "' given twice");
            }
        }
        String[] n = Arrays.copyOf(names, names.length + 1);
        Object[] v = Arrays.copyOf(values, values.length + 1);
        n[names.length] = name;
        v[names.length] = value;
        return new Binds(n, v);
    }

    int size() {
        return names.length;
    }

    String name(int i) {
        return names[i];
    }

    /** The index of {@code name}, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    Object value(int i) {
        return values[i];
    }

    /** The names only: bind values never reach a message or a log. */
    @Override
    public String toString() {
        return "Binds" + Arrays.toString(names);
    }
}
