/**
 * Review of a proposed DDL change before it reaches production ({@code review} on the command line): applied to a
 * throwaway database built from the snapshot, compared before and after, judged for its impact on the library and
 * for its lock and rewrite hazards on a running database. A tool package: core packages never depend on it.
 */
package com.airesumereview.db.review;
