/**
 * The schema atlas ({@code atlas} on the command line): the snapshot as a static HTML site with an
 * entity-relationship diagram laid out by Graphviz and one page per table joining the structure with what the
 * library's code uses of it. A tool package: core packages never depend on it.
 */
package com.airesumereview.db.atlas;
