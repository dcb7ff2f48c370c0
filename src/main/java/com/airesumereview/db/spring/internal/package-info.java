/**
 * Helpers of the Spring Boot auto-configuration: property binding and renaming, the pool settings applied to
 * Boot's HikariCP pool, the Micrometer look-up and the start-up failure analyzer.
 *
 * <p><strong>Not API:</strong> types here carry no compatibility promise and may change or disappear in any
 * release; services must not use them. They are public only because Spring instantiates them.
 */
package com.airesumereview.db.spring.internal;
