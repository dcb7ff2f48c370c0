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
    private TestUsers() {
    }

    /** A consultant with a unique email {@code user-<random>@example.com}. */
    public static NewUser newUser() {
        return newUser(uniqueEmail());
    }

    /** A consultant with the given email (stored lowercase). */
    public static NewUser newUser(String email) {
        return new NewUser(email, passwordHash(), "Ada", "Lovelace", UserRole.CONSULTANT);
    }

    /** An admin with a unique email. */
    public static NewUser newAdmin() {
        return new NewUser(uniqueEmail(), passwordHash(), "Grace", "Hopper", UserRole.ADMIN);
    }

    /** A unique, valid, lowercase email address. */
    public static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /** A well-formed bcrypt-shaped hash (60 characters), unique per call. */
    public static String passwordHash() {
        String salt = UUID.randomUUID().toString().replace("-", "");
        return ("$2b$12$" + salt + salt).substring(0, 60);
    }
}
