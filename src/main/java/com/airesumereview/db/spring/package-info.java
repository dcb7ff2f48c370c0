/**
 * Spring Boot auto-configuration: a Boot service that declares the dependency gets a {@link
 * com.airesumereview.db.ResumeReviewDb} bean on Boot's own {@code DataSource} (no second pool), inside Spring's
 * transactions, configured by {@code resume-review-db.*} properties ({@link
 * com.airesumereview.db.spring.ResumeReviewDbProperties}), with a health indicator and metrics on Boot's
 * {@code MeterRegistry}. Spring and Boot are optional dependencies: without them on the classpath nothing here is
 * loaded. See {@code docs/spring-boot.md}.
 */
package com.airesumereview.db.spring;
