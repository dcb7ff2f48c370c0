package com.airesumereview.db.testing;

import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.generated.vocabulary.UserRole;
import java.util.UUID;

/**
 * Valid {@link NewUser} values for tests, each with a unique email, so tests can create users without
 * spelling out fields they are not about. No shared state: every call makes fresh values.
 * <pre>{@code
 * User user = db.users().create(TestUsers.newUser());
 * User admin = db.users().create(TestUsers.newAdmin());
 * }</pre>
 */
public final class TestUsers {
    /** The password behind {@link #PASSWORD_HASH}. */
    public static final String PASSWORD = "correct horse battery staple";
    /**
     * A real bcrypt hash of {@link #PASSWORD} (cost 12, the {@code $2b$} form passlib writes), for tests that
     * need one fixed hash; the Python service would verify it.
     */
    public static final String PASSWORD_HASH = "$2b$12$Ra5o1d3Qm1EaVzDK9hB9AekaXVIwrY3xOX3/wbzgDCGh9NV.hBvmO";

    private TestUsers() {
    }

    /** {@return a consultant with a unique email {@code user-<random>@example.com}} */
    public static NewUser newUser() {
        return newUser(uniqueEmail());
    }

    /**

     * A consultant with the given email (stored lowercase).

     *

     * @param email the email address

     * @return a valid user, not yet stored

     */
    public static NewUser newUser(String email) {
        return NewUser.builder()
                .email(email).passwordHash(passwordHash()).firstName("Ada").lastName("Lovelace")
                .role(UserRole.CONSULTANT).build();
    }

    /** {@return an admin with a unique email} */
    public static NewUser newAdmin() {
        return NewUser.builder()
                .email(uniqueEmail()).passwordHash(passwordHash()).firstName("Grace").lastName("Hopper")
                .role(UserRole.ADMIN).build();
    }

    /** {@return a unique, valid, lowercase email address} */
    public static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /**
     * A hash of bcrypt's form ({@code $2b$12$} and 53 characters of its alphabet: 60 in all), unique per call;
     * it verifies no password. Use {@link #PASSWORD_HASH} when a test needs a real one.
     *
     * @return a 60-character {@code $2b$} hash
     */
    public static String passwordHash() {
        String salt = UUID.randomUUID().toString().replace("-", "");
        return ("$2b$12$" + salt + salt).substring(0, 60);
    }
}
