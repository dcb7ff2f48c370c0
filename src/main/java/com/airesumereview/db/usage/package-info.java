/**
 * What the library's code uses of the schema, for the tools that look at a schema change or draw the schema
 * ({@code review}, {@code atlas}): which repository methods read and write each column (from the statements' SQL),
 * which indexes their queries use (from the planner), which enum each CHECK vocabulary becomes, and which
 * {@code field-mapping.csv} rows each column carries. A tool package: core packages never depend on it.
 */
package com.airesumereview.db.usage;
