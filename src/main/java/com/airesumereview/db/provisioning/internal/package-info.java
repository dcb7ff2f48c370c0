/**
 * Plumbing of the test databases (how their dependencies are kept quiet); no compatibility promise.
 */
package com.airesumereview.db.provisioning.internal;
