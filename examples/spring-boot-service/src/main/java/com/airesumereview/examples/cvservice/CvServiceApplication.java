package com.airesumereview.examples.cvservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A small resume service on resume-review-db. The library needs no glue: Boot's auto-configuration creates the
 * {@code ResumeReviewDb} bean on Boot's DataSource and joins Spring's transactions.
 */
@SpringBootApplication
public class CvServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(CvServiceApplication.class, args);
    }

    /** bcrypt, as the Python service that shares the database hashes passwords. */
    @Bean
    BCryptPasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }
}
