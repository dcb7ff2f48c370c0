package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import com.airesumereview.db.generated.vocabulary.UserRole;
import java.util.Objects;

/**
 * What a caller supplies to create a user, built by name so that no two of its texts can be swapped:
 *
 * <pre>{@code
 * NewUser input = NewUser.builder()
 *         .email("Ada@Example.com")
 *         .passwordHash(bcryptHash)            // e.g. "$2b$12$..." (60 characters)
 *         .firstName("Ada")
 *         .lastName("Lovelace")
 *         .role(UserRole.CONSULTANT)
 *         .build();
 * User ada = db.users().create(input);
 * ada.email(); // "ada@example.com"
 * }</pre>
 *
 * <p>{@link Builder#build()} checks that every field is there, that the names are not blank and that the
 * password hash is a bcrypt hash (the only kind the Python service can verify). The repository then applies
 * the column rules before any SQL: the email is trimmed and stored lowercase (at most 255 characters), names
 * are trimmed (at most 100 characters each). New users are active, not verified, with 0 failed logins.
 */
public final class NewUser {
    private final String email;
    private final String passwordHash;
    private final String firstName;
    private final String lastName;
    private final UserRole role;

    private NewUser(Builder b) {
        this.email = b.email;
        this.passwordHash = b.passwordHash;
        this.firstName = b.firstName;
        this.lastName = b.lastName;
        this.role = b.role;
    }

    /** {@return a new builder with no field set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the email address as given (any case, surrounding blanks allowed)} */
    public String email() {
        return email;
    }

    /** {@return the bcrypt hash of the password; the library never sees the password} */
    public String passwordHash() {
        return passwordHash;
    }

    /** {@return the first name as given} */
    public String firstName() {
        return firstName;
    }

    /** {@return the last name as given} */
    public String lastName() {
        return lastName;
    }

    /** {@return consultant or admin} */
    public UserRole role() {
        return role;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewUser u && email.equals(u.email) && passwordHash.equals(u.passwordHash)
                && firstName.equals(u.firstName) && lastName.equals(u.lastName) && role == u.role;
    }

    @Override
    public int hashCode() {
        return Objects.hash(email, passwordHash, firstName, lastName, role);
    }

    /** Masks the password hash. */
    @Override
    public String toString() {
        return "NewUser[email=" + email + ", passwordHash=***, firstName=" + firstName + ", lastName=" + lastName
                + ", role=" + role + "]";
    }

    /** Collects the fields of a {@link NewUser} by name; every field is required. */
    public static final class Builder {
        private String email;
        private String passwordHash;
        private String firstName;
        private String lastName;
        private UserRole role;

        private Builder() {
        }

        /**
         * Sets the email address; it is stored trimmed and lowercase.
         *
         * @param email an address like {@code name@example.com} in any case; required, at most 255 characters
         * @return this builder
         */
        public Builder email(String email) {
            this.email = email;
            return this;
        }

        /**
         * Sets the bcrypt hash of the password.
         *
         * @param passwordHash a bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}, cost 04..31, 60 characters);
         *                     required
         * @return this builder
         */
        public Builder passwordHash(String passwordHash) {
            this.passwordHash = passwordHash;
            return this;
        }

        /**
         * Sets the first name.
         *
         * @param firstName the first name; required, not blank, at most 100 characters
         * @return this builder
         */
        public Builder firstName(String firstName) {
            this.firstName = firstName;
            return this;
        }

        /**
         * Sets the last name.
         *
         * @param lastName the last name; required, not blank, at most 100 characters
         * @return this builder
         */
        public Builder lastName(String lastName) {
            this.lastName = lastName;
            return this;
        }

        /**
         * Sets the role.
         *
         * @param role consultant or admin; required
         * @return this builder
         */
        public Builder role(UserRole role) {
            this.role = role;
            return this;
        }

        /**
         * The input, checked.
         *
         * @return the user's input; the builder may be reused
         * @throws ValidationException naming the field ({@code user.email}, {@code user.passwordHash},
         *                             {@code user.firstName}, {@code user.lastName}, {@code user.role}) and the rule
         *                             when a field is missing, a name is blank or the hash is not bcrypt; the hash
         *                             is never shown
         */
        public NewUser build() {
            Checks.required("user.email", email);
            Checks.bcrypt("user.passwordHash", passwordHash);
            Checks.nonBlank("user.firstName", firstName);
            Checks.nonBlank("user.lastName", lastName);
            Checks.required("user.role", role);
            return new NewUser(this);
        }
    }
}
