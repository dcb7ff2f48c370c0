#!/usr/bin/env bash
# Turns a pg_dump of production (schema only) into a deterministic, Flyway-ready migration:
# drops session settings (SET, set_config), owners and pg_dump's TOC comments, which differ from dump
# to dump and would make Flyway reset search_path for the whole migration; keeps every statement.
# Usage: schema/derive-from-pg-dump.sh ../shared/production/v1.0-schema.sql "v1.0" > schema/V1__production_v1_0.sql
set -euo pipefail
dump=${1:?usage: derive-from-pg-dump.sh DUMP.sql VERSION_LABEL}
label=${2:?usage: derive-from-pg-dump.sh DUMP.sql VERSION_LABEL}
cat <<HEADER
-- Production structure, schema version ${label}.
-- Derived from pg_dump output by schema/derive-from-pg-dump.sh: session settings, owners and
-- pg_dump's comments removed, every statement kept as PostgreSQL printed it. Do not edit by hand;
-- after a DDL change in production add a new versioned file instead (see README.md).
HEADER
awk '
  /^SET [a-z_]+ = / { next }
  /^SELECT pg_catalog\.set_config\(/ { next }
  /^ALTER [A-Z ]+ .* OWNER TO .*;$/ { next }
  /^--/ { next }
  { print }
' "$dump" | cat -s
