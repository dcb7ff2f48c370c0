package com.airesumereview.db.cli;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the command line in this process, capturing what it prints. */
final class Cli {
    private Cli() {
    }

    /** What one run returned and printed. */
    record Run(int exitCode, String out, String err) {
        /** Both streams, for assertions that something appears nowhere. */
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    static Run run(String... args) {
        return run(Map.of(), args);
    }

    static Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e, environment);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The database's address in libpq form with its user, as an operator would type it. */
    static String url(ProvisionedDatabase db) {
        return url(db, null);
    }

    /** The same with {@code password} in it (trust authentication ignores it). */
    static String url(ProvisionedDatabase db, String password) {
        String address = db.jdbcUrl().substring("jdbc:".length());
        String user = db.url().user() == null ? "postgres" : db.url().user();
        return address.replace("postgresql://", "postgresql://" + user + (password == null ? "" : ":" + password) + "@");
    }
}
