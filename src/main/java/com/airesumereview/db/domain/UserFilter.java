package com.airesumereview.db.domain;

import com.airesumereview.db.generated.vocabulary.UserRole;
import java.util.Optional;

/**
 * Which users {@code UserRepository.list} returns; every part is optional, and parts combine with AND.
 *
 * <pre>{@code
 * UserFilter admins = UserFilter.all().withRole(UserRole.ADMIN).withActive(true).withSearch("lovelace");
 * Page<User> page = db.users().list(admins, null, 20);
 * }</pre>
 *
 * @param role   only users with this role; null for any
 * @param active only active ({@code true}) or deactivated ({@code false}) users; null for both
 * @param search a case-insensitive substring of the email, first name or last name; {@code %} and
 *               {@code _} match only themselves; blanks around it are ignored; null or blank for no search
 */
public record UserFilter(UserRole role, Boolean active, String search) {

    /** {@return no filter: every user} */
    public static UserFilter all() {
        return new UserFilter(null, null, null);
    }

    /**
     * This filter, restricted to {@code role}.
     *
     * @param role the role to keep; null removes the role restriction
     * @return a new filter with the other parts unchanged
     */
    public UserFilter withRole(UserRole role) {
        return new UserFilter(role, active, search);
    }

    /**
     * This filter, restricted to active or to deactivated users.
     *
     * @param active true for active users only, false for deactivated users only
     * @return a new filter with the other parts unchanged
     */
    public UserFilter withActive(boolean active) {
        return new UserFilter(role, active, search);
    }

    /**
     * This filter, restricted to users matching {@code term} (see the class comment).
     *
     * @param term the substring to search for; null or blank removes the search
     * @return a new filter with the other parts unchanged
     */
    public UserFilter withSearch(String term) {
        return new UserFilter(role, active, term);
    }

    /** {@return the search term trimmed, or empty when it is null or blank} */
    public Optional<String> searchTerm() {
        return search == null || search.isBlank() ? Optional.empty() : Optional.of(search.trim());
    }
}
