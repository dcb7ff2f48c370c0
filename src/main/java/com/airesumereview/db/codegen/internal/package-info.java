/**
 * Helpers of {@code com.airesumereview.db.codegen}. <strong>Not API:</strong> types here carry no compatibility promise
 * and may change or disappear in any release; services must not use them. They are public only because other
 * packages of the library call them.
 */
package com.airesumereview.db.codegen.internal;
