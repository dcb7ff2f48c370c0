package com.airesumereview.db.cli;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.internal.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The passwords a command line carries (after {@code --password}, inside a URL, in {@code PGPASSWORD}), found
 * before anything is parsed so that even an error about the arguments themselves can mask them
 * ({@link com.airesumereview.db.internal.Secrets} masks them).
 */
final class CommandSecrets {
    /** The environment variable libpq and psql read the password from; the commands do too. */
    static final String PASSWORD_ENV = "PGPASSWORD";

    // user:password@ in a URL that DatabaseUrl might reject (a typo in the scheme), so it is masked anyway.
    private static final Pattern USER_INFO = Pattern.compile("://[^:/@?#]*:([^@/?#]+)@");

    private CommandSecrets() {
    }

    static List<String> find(String[] args, Map<String, String> environment) {
        List<String> secrets = new ArrayList<>();
        add(secrets, environment.get(PASSWORD_ENV));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg == null) {
                continue;
            }
            if (arg.equals("--password") && i + 1 < args.length) {
                add(secrets, args[i + 1]);
            } else if (arg.startsWith("--password=")) {
                add(secrets, arg.substring("--password=".length()));
            }
            if (arg.contains("://")) {
                Matcher userInfo = USER_INFO.matcher(arg);
                while (userInfo.find()) {
                    add(secrets, userInfo.group(1));
                }
                try {
                    // The parser also finds ?password=..., and decodes %-escapes the pattern above keeps.
                    add(secrets, DatabaseUrl.parse(arg.startsWith("--url=") ? arg.substring(6) : arg).password());
                } catch (ResumeReviewDbException notAUrl) {
                    // Nothing more to find in it.
                }
            }
        }
        return List.copyOf(secrets);
    }

    private static void add(List<String> secrets, String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
    }
}
