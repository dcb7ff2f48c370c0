package com.airesumereview.examples.cvservice;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.LoginAttempt;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.UserRole;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registration, login with lock-out and session refresh, each one Spring transaction. */
@Service
public class Accounts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ResumeReviewDb db;
    private final BCryptPasswordEncoder passwords;

    public Accounts(ResumeReviewDb db, BCryptPasswordEncoder passwords) {
        this.db = db;
        this.passwords = passwords;
    }

    /** What a login ends in. */
    public sealed interface Login {
        record Session(String refreshToken, String sessionId) implements Login {
        }

        record Locked(Instant until) implements Login {
        }

        record Refused() implements Login {
        }
    }

    @Transactional
    public User register(String email, String password, String firstName, String lastName) {
        return db.users().create(NewUser.builder()
                .email(email).passwordHash(passwords.encode(password)).firstName(firstName).lastName(lastName)
                .role(UserRole.CONSULTANT).build());
    }

    /**
     * The Python service's login: a running lock refuses before the password is looked at; a wrong password
     * counts, and the last allowed one locks the account (resume-review-db.max-failed-logins, lock-duration).
     * Not rolled back on a wrong password: the failure must be counted, so it returns a result, not an exception.
     */
    @Transactional
    public Login login(String email, String password, String device, String ip) {
        LoginAttempt attempt = db.users().attemptLogin(email);
        if (attempt instanceof LoginAttempt.Locked locked) {
            return new Login.Locked(locked.lockedUntil());
        }
        if (!(attempt instanceof LoginAttempt.CheckPassword check)) {
            return new Login.Refused();    // unknown email or deactivated account: the same answer
        }
        User user = check.user();
        if (!passwords.matches(password, user.passwordHash())) {
            LoginFailure failure = db.users().recordFailedLogin(user.id());
            return failure.locked() ? new Login.Locked(failure.lockedUntil()) : new Login.Refused();
        }
        db.users().recordSuccessfulLogin(user.id());
        String raw = newRawToken();
        IssuedToken issued = db.refreshTokens().issue(NewRefreshToken.forUser(user.id())
                .rawToken(raw).deviceInfo(device).ipAddress(ip).build());
        return new Login.Session(raw, issued.token().sessionId());
    }

    /** Rotates the presented refresh token; empty when it is not (or no longer) a live session's. */
    @Transactional
    public java.util.Optional<String> refresh(String presented) {
        String successor = newRawToken();
        RotationResult result = db.refreshTokens().rotate(presented, successor);
        return result instanceof RotationResult.Rotated ? java.util.Optional.of(successor) : java.util.Optional.empty();
    }

    private static String newRawToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
