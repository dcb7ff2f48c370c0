/**
 * The library's internals: the statement engine the repositories are written with ({@link
 * com.airesumereview.db.internal.Statement}, {@link com.airesumereview.db.internal.Row}, {@link
 * com.airesumereview.db.internal.Database}), the one SQLSTATE classifier, the one jsonb codec, and the hooks
 * for replica routing and metrics.
 *
 * <p><b>No compatibility promise.</b> Types here are public only because Java packages need it; they may
 * change or disappear in any release. Services use {@code ResumeReviewDb}, the repositories and the domain
 * records.
 */
package com.airesumereview.db.internal;
