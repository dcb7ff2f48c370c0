/**
 * The one implementation of each repository interface ({@code Postgres*Repository}), written in the statement
 * engine's pattern, and their helpers (validation rules, the row mappings the audit shares, the jOOQ exception
 * listener).
 *
 * <p><strong>Not API:</strong> types here carry no compatibility promise and may change or disappear in any
 * release; services use the interfaces in {@code com.airesumereview.db.repository}.
 */
package com.airesumereview.db.repository.internal;
