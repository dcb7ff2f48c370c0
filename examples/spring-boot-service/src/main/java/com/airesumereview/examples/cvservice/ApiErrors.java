package com.airesumereview.examples.cvservice;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ValidationException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The library's named failures as HTTP answers; anything else stays a 500. */
@RestControllerAdvice
public class ApiErrors {
    @ExceptionHandler(DuplicateException.class)
    ResponseEntity<Map<String, String>> duplicate(DuplicateException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "already exists"));
    }

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<Map<String, String>> invalid(ValidationException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.field() + " " + e.rule()));
    }

    @ExceptionHandler({NotFoundException.class, ConstraintViolationException.class})
    ResponseEntity<Map<String, String>> notFound(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not found"));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badVocabulary(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
}
