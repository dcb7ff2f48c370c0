package com.airesumereview.db.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits PostgreSQL text into tokens the way the server's scanner does for the parts that matter to a splitter and
 * to a reader of names: comments ({@code --}, nested {@code /* *\/}), string constants ({@code '...'} with
 * {@code ''}, {@code E'...'} with backslash escapes), quoted identifiers, dollar-quoted bodies ({@code $tag$...$tag$})
 * and the positional parameters jOOQ renders ({@code ?}). Everything else is a word or one punctuation character.
 * Comments are dropped; every token keeps the line it starts on.
 */
public final class SqlLexer {
    /** What a token is. */
    public enum Kind {
        /** A keyword or an unquoted name. */
        WORD,
        /** A name in double quotes. */
        QUOTED_IDENTIFIER,
        /** A string constant, {@code '...'} or {@code E'...'}. */
        STRING,
        /** A dollar-quoted body, {@code $tag$...$tag$}. */
        DOLLAR_STRING,
        /** A positional parameter, {@code ?}. */
        PARAMETER,
        /** One character that is none of the above, e.g. {@code (} or {@code ;}. */
        PUNCTUATION
    }

    /**
     * One token.
     *
     * @param kind  what it is
     * @param text  the token as written (a quoted identifier or string with its quotes)
     * @param start offset of its first character in the input
     * @param end   offset after its last character
     * @param line  1-based line of its first character
     */
    public record Token(Kind kind, String text, int start, int end, int line) {
        /**
         * A word compared case-insensitively, e.g. {@code is("create")}; false for every other kind.
         *
         * @param word the word to compare with
         * @return whether this token is that word
         */
        public boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        /**
         * A word lower-cased, a quoted identifier unquoted, a string constant without its quotes.
         *
         * @return the token's value; other kinds as written
         */
        public String value() {
            switch (kind) {
                case WORD:
                    return text.toLowerCase(Locale.ROOT);
                case QUOTED_IDENTIFIER:
                    return text.substring(1, text.length() - 1).replace("\"\"", "\"");
                case STRING:
                    int open = text.indexOf('\'');
                    return text.substring(open + 1, text.length() - 1).replace("''", "'");
                default:
                    return text;
            }
        }

        /**
         * A name: a word (lower-cased) or a quoted identifier.
         *
         * @return whether this token can be a name
         */
        public boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
        }

        /**
         * Whether this is the punctuation character {@code c}.
         *
         * @param c the character
         * @return true for a punctuation token of exactly that character
         */
        public boolean isPunctuation(char c) {
            return kind == Kind.PUNCTUATION && text.charAt(0) == c;
        }
    }

    /** Thrown when a string, identifier, comment or dollar quote is never closed. */
    public static final class UnterminatedException extends RuntimeException {
        /** Serialization version of this exception. */
        private static final long serialVersionUID = 1L;
        /** The line the unclosed construct opens on. */
        private final int line;

        UnterminatedException(String what, int line) {
            super(what + " opened on line " + line + " is never closed");
            this.line = line;
        }

        /**
         * The line the unclosed construct opens on.
         *
         * @return a 1-based line number
         */
        public int line() {
            return line;
        }
    }

    private final String sql;
    private int pos;
    private int line = 1;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /**
     * The tokens of {@code sql}, comments left out.
     *
     * @param sql PostgreSQL text, one or more statements
     * @return the tokens in order
     * @throws UnterminatedException when a string, identifier, comment or dollar quote is never closed
     */
    public static List<Token> tokens(String sql) {
        return new SqlLexer(sql).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            int startLine = line;
            int start = pos;
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                while (pos < sql.length() && sql.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peek(1) == '*') {
                blockComment(startLine);
            } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
                pos++;
                quoted('\'', true, "string constant", startLine);
                out.add(token(Kind.STRING, start, startLine));
            } else if (c == '\'') {
                quoted('\'', false, "string constant", startLine);
                out.add(token(Kind.STRING, start, startLine));
            } else if (c == '"') {
                quoted('"', false, "quoted identifier", startLine);
                out.add(token(Kind.QUOTED_IDENTIFIER, start, startLine));
            } else if (c == '$' && dollarTag() != null) {
                String tag = dollarTag();
                int close = sql.indexOf(tag, pos + tag.length());
                if (close < 0) {
                    throw new UnterminatedException("dollar quote " + tag, startLine);
                }
                advanceTo(close + tag.length());
                out.add(token(Kind.DOLLAR_STRING, start, startLine));
            } else if (c == '?') {
                pos++;
                out.add(token(Kind.PARAMETER, start, startLine));
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_'
                        || sql.charAt(pos) == '$')) {
                    pos++;
                }
                out.add(token(Kind.WORD, start, startLine));
            } else {
                pos++;
                out.add(token(Kind.PUNCTUATION, start, startLine));
            }
        }
        return out;
    }

    private Token token(Kind kind, int start, int startLine) {
        return new Token(kind, sql.substring(start, pos), start, pos, startLine);
    }

    private char peek(int ahead) {
        return pos + ahead < sql.length() ? sql.charAt(pos + ahead) : 0;
    }

    private void blockComment(int startLine) {
        int depth = 0;
        while (pos < sql.length()) {
            if (sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                if (sql.charAt(pos) == '\n') {
                    line++;
                }
                pos++;
            }
        }
        throw new UnterminatedException("comment", startLine);
    }

    private void quoted(char quote, boolean backslashEscapes, String what, int startLine) {
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\n') {
                line++;
            }
            if (backslashEscapes && c == '\\') {
                pos += 2;
                continue;
            }
            if (c == quote) {
                if (peek(1) == quote) {
                    pos += 2;
                    continue;
                }
                pos++;
                return;
            }
            pos++;
        }
        throw new UnterminatedException(what, startLine);
    }

    /** The dollar-quote tag at pos ({@code $$} or {@code $name$}), or null if none starts here. */
    private String dollarTag() {
        int i = pos + 1;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            if (i == pos + 1 && Character.isDigit(sql.charAt(i))) {
                return null; // $1 is a parameter, not a tag
            }
            i++;
        }
        return i < sql.length() && sql.charAt(i) == '$' ? sql.substring(pos, i + 1) : null;
    }

    private void advanceTo(int to) {
        for (int i = pos; i < to; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
        pos = to;
    }
}
