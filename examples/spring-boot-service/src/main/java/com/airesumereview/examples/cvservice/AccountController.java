package com.airesumereview.examples.cvservice;

import com.airesumereview.db.domain.User;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** POST /users (registration), POST /sessions (login), POST /sessions/refresh. */
@RestController
public class AccountController {
    private final Accounts accounts;

    public AccountController(Accounts accounts) {
        this.accounts = accounts;
    }

    public record Registration(String email, String password, String firstName, String lastName) {
    }

    public record Credentials(String email, String password) {
    }

    public record Refresh(String refreshToken) {
    }

    @PostMapping("/users")
    public ResponseEntity<Map<String, Object>> register(@RequestBody Registration r) {
        User user = accounts.register(r.email(), r.password(), r.firstName(), r.lastName());
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", user.id(), "email", user.email()));
    }

    @PostMapping("/sessions")
    public ResponseEntity<Map<String, Object>> login(@RequestBody Credentials c,
            @RequestHeader(value = "User-Agent", required = false) String device) {
        Accounts.Login login = accounts.login(c.email(), c.password(), device, null);
        if (login instanceof Accounts.Login.Session s) {
            return ResponseEntity.ok(Map.of("refreshToken", s.refreshToken(), "sessionId", s.sessionId()));
        }
        if (login instanceof Accounts.Login.Locked l) {
            return ResponseEntity.status(HttpStatus.LOCKED)
                    .body(Map.of("error", "account locked", "lockedUntil", l.until().toString()));
        }
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "invalid credentials"));
    }

    @PostMapping("/sessions/refresh")
    public ResponseEntity<Map<String, Object>> refresh(@RequestBody Refresh r) {
        return accounts.refresh(r.refreshToken())
                .map(token -> ResponseEntity.ok(Map.<String, Object>of("refreshToken", token)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                        .body(Map.of("error", "session expired or revoked")));
    }
}
