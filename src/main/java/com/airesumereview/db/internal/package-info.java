/**
 * The library's internals: the statement engine the repositories are written with ({@link
 * com.airesumereview.db.internal.Statement}, {@link com.airesumereview.db.internal.Row}, {@link
 * com.airesumereview.db.internal.Database}), the one SQLSTATE classifier, the one jsonb codec, the one secrets
 * scrubber, and the hooks for replica routing and metrics.
 *
 * <p><strong>Not API:</strong> types here carry no compatibility promise and may change or disappear in any
 * release; services must not use them. They are public only because other packages of the library call them.
 */
package com.airesumereview.db.internal;
