package com.airesumereview.db.domain;

import com.airesumereview.db.generated.vocabulary.UserRole;

/**
 * What a caller supplies to create a user. The repository validates it before any SQL: the email is
 * trimmed and stored lowercase (at most 255 characters), the password hash is required (at most 255
 * characters, never printed), names are required and not blank (at most 100 characters each).
 * New users are active, not verified, with 0 failed logins.
 *
 * <pre>{@code
 * User ada = db.users().create(new NewUser("Ada@Example.com", bcryptHash, "Ada", "Lovelace", UserRole.CONSULTANT));
 * ada.email(); // "ada@example.com"
 * }</pre>
 *
 * @param email        email address, any case, surrounding blanks ignored
 * @param passwordHash the password hash (e.g. bcrypt); the library never sees the password
 * @param firstName    first name
 * @param lastName     last name
 * @param role         consultant or admin
 */
public record NewUser(String email, String passwordHash, String firstName, String lastName, UserRole role) {

    /** Masks the password hash. */
    @Override
    public String toString() {
        return "NewUser[email=" + email + ", passwordHash=***, firstName=" + firstName + ", lastName=" + lastName
                + ", role=" + role + "]";
    }
}
