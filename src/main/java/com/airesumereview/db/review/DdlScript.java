package com.airesumereview.db.review;

import com.airesumereview.db.usage.SqlLexer;
import com.airesumereview.db.usage.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A DDL file split into statements the way {@code psql} sends them: at semicolons outside strings, quoted
 * identifiers, comments and dollar-quoted bodies (so a plpgsql function is one statement).
 *
 * @param name       the file's name, for messages
 * @param statements the statements in file order
 */
public record DdlScript(String name, List<Statement> statements) {
    /**
     * Checks and copies the components.
     *
     * @param name       the file's name, for messages
     * @param statements the statements in file order
     */
    public DdlScript {
        Objects.requireNonNull(name, "name");
        statements = List.copyOf(statements);
    }

    /**
     * One statement.
     *
     * @param number 1-based position in the file
     * @param line   the line its first token is on
     * @param sql    its text, without the closing semicolon
     * @param tokens its tokens (comments left out)
     */
    public record Statement(int number, int line, String sql, List<Token> tokens) {
        /**
         * Checks and copies the components.
         *
         * @param number 1-based position in the file
         * @param line   the line its first token is on
         * @param sql    its text, without the closing semicolon
         * @param tokens its tokens (comments left out)
         */
        public Statement {
            tokens = List.copyOf(tokens);
        }

        /**
         * Whether the statement starts with these words, e.g. {@code startsWith("alter", "table")}.
         *
         * @param words the first words, compared case-insensitively
         * @return true when the statement's tokens begin with them
         */
        public boolean startsWith(String... words) {
            for (int i = 0; i < words.length; i++) {
                if (i >= tokens.size() || !tokens.get(i).is(words[i])) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether any token is the word {@code word}.
         *
         * @param word the word, compared case-insensitively
         * @return true when one token is that word
         */
        public boolean has(String word) {
            return tokens.stream().anyMatch(t -> t.is(word));
        }

        /**
         * The statement on one line, shortened to about {@code max} characters.
         *
         * @param max the longest result, at least 4
         * @return the statement's text, blanks collapsed, ending in {@code ...} when cut
         */
        public String shortText(int max) {
            String flat = sql.strip().replaceAll("\\s+", " ");
            return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
        }
    }

    /**
     * Splits {@code text}.
     *
     * @param name the file's name, as reports show it
     * @param text the file's text
     * @return the statements, each with its first line
     * @throws ReviewException if it holds no statement, or a string, comment or dollar quote is never closed
     */
    public static DdlScript parse(String name, String text) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokens(text);
        } catch (SqlLexer.UnterminatedException e) {
            throw new ReviewException(name + ": " + e.getMessage() + "; the file is not complete SQL");
        }
        List<Statement> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token token : tokens) {
            if (token.isPunctuation(';')) {
                add(text, current, out);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        add(text, current, out);
        if (out.isEmpty()) {
            throw new ReviewException(name + " holds no SQL statement (only white space or comments);"
                    + " expected DDL such as ALTER TABLE ...;");
        }
        return new DdlScript(name, out);
    }

    private static void add(String text, List<Token> tokens, List<Statement> out) {
        if (tokens.isEmpty()) {
            return;
        }
        Token first = tokens.get(0);
        Token last = tokens.get(tokens.size() - 1);
        out.add(new Statement(out.size() + 1, first.line(), text.substring(first.start(), last.end()), tokens));
    }
}
