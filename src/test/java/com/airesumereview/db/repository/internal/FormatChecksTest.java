package com.airesumereview.db.repository.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written format checks in {@link Rules} accept exactly what the regular expressions they replaced
 * accepted: the edge cases by name, then many random near-misses made by changing one character of a valid value.
 */
class FormatChecksTest {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String SALT_AND_HASH = "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    private static final String ALPHABET = "$./09AZaz@ -_\u00e9\u0000!2349abfgyABFGY";

    @Test
    void bcryptCheckAcceptsWhatThePatternAccepts() {
        List<String> cases = new ArrayList<>(List.of("", "$2a$", "$2a$10$" + SALT_AND_HASH, "$2b$04$" + SALT_AND_HASH,
                "$2y$31$" + SALT_AND_HASH, "$2x$10$" + SALT_AND_HASH, "$2a$03$" + SALT_AND_HASH, "$2a$32$" + SALT_AND_HASH,
                "$2a$1a$" + SALT_AND_HASH, "$2a$10$" + SALT_AND_HASH + "x", "$2a$10$" + SALT_AND_HASH.substring(1),
                "$2a$10$" + SALT_AND_HASH.replace('N', '+'), "$2a$00$" + SALT_AND_HASH, "$2a$19$" + SALT_AND_HASH,
                "$2a$20$" + SALT_AND_HASH, "$2a$09$" + SALT_AND_HASH));
        cases.addAll(nearMisses("$2b$12$" + SALT_AND_HASH, 20_000));
        for (String c : cases) {
            assertThat(Rules.isBcrypt(c)).as("isBcrypt(%s)", c).isEqualTo(BCRYPT.matcher(c).matches());
        }
        assertThat(cases).filteredOn(Rules::isBcrypt).hasSizeGreaterThan(5);
    }

    @Test
    void sha256CheckAcceptsWhatThePatternAccepts() {
        String valid = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        List<String> cases = new ArrayList<>(List.of("", valid, valid.toUpperCase(), valid + "0", valid.substring(1),
                valid.replace('9', 'g')));
        cases.addAll(nearMisses(valid, 20_000));
        for (String c : cases) {
            assertThat(Rules.isSha256Hex(c)).as("isSha256Hex(%s)", c).isEqualTo(SHA256_HEX.matcher(c).matches());
        }
        assertThat(cases).filteredOn(Rules::isSha256Hex).hasSizeGreaterThan(5);
    }

    /** {@code valid} with one character replaced, inserted or removed at a random place. */
    private static List<String> nearMisses(String valid, int count) {
        Random random = new Random(42);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder(valid);
            int at = random.nextInt(valid.length());
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> b.setCharAt(at, c);
                case 1 -> b.insert(at, c);
                default -> b.deleteCharAt(at);
            }
            out.add(b.toString());
        }
        return out;
    }
}
