package com.airesumereview.db.audit;

import com.airesumereview.db.internal.Connections;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.ResumeReviewDbException;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.internal.Secrets;
import com.airesumereview.db.repository.internal.RowMappings;
import com.airesumereview.db.repository.internal.RowMappings.TableMapping;
import com.airesumereview.db.internal.ReadOnlyTransaction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jooq.Field;
import com.airesumereview.db.internal.Row;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Reads every row of every mapped table through the library's own mapping ({@link RowMappings}, the select lists
 * and row functions the repositories use) and reports the rows that cannot be mapped. This is how to learn,
 * before a service goes live, whether production holds rows the library cannot read.
 * <pre>{@code
 * AuditReport report = AuditEngine.builder().progress(p -> log.info("{}: {} rows", p.table(), p.rowsRead()))
 *         .build().audit(dataSource);
 * }</pre>
 *
 * <p><b>Read-only.</b> One connection, {@code setReadOnly(true)}, a {@code REPEATABLE READ, READ ONLY}
 * transaction (one consistent snapshot of all tables; the server refuses any write), rolled back at the end.
 *
 * <p><b>Streaming.</b> Each table is read with a server-side cursor ({@code fetchSize} rows per round trip,
 * autocommit off), row by row; only the current batch and the listed failures are in memory, so a table of
 * millions of rows needs little heap. Rows are read in no particular order (no sort).
 *
 * <p><b>Failures.</b> A row whose values the mapping cannot convert (e.g. a role outside the enum) or whose
 * domain record refuses them is counted and, up to {@code failuresListed} per table, listed with its primary
 * key and the exception's message; the audit goes on with the next row. Values of secret columns (password
 * and token hashes) are masked in messages. Losing the connection or a server error ends the audit with a
 * {@link AuditException}.
 */
public final class AuditEngine {
    private static final Logger LOG = LoggerFactory.getLogger(AuditEngine.class);

    private static final int REASON_MAX = 300;
    private static final int SECRET_RUN = 12;

    private final int fetchSize;
    private final int failuresListed;
    private final long progressEvery;
    private final Consumer<AuditProgress> progress;

    private AuditEngine(Builder b) {
        this.fetchSize = b.fetchSize;
        this.failuresListed = b.failuresListed;
        this.progressEvery = b.progressEvery;
        this.progress = b.progress;
    }

    /**
     * An engine with the defaults: 1,000 rows per fetch, 20 failures listed per table, no progress.
     *
     * @return a new engine; engines hold only settings
     */
    public static AuditEngine withDefaults() {
        return builder().build();
    }

    /**
     * Settings: fetch size, failures listed, progress.
     *
     * @return a new builder holding the defaults of {@link #withDefaults()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Audits through the first of {@code candidates} that can run it to the end, in order of preference: give a read
     * replica first (a whole-database read is what replicas are for), then the primary. A replica that cannot
     * finish (down, or replay cancelled the long snapshot: a hot-standby conflict) hands it to the next.
     * <pre>{@code
     * AuditReport report = AuditEngine.withDefaults().audit(List.of(replicaDataSource, primaryDataSource));
     * report.isClean();   // false: report.render() names each failed row's table, key and reason
     * }</pre>
     *
     * @param candidates where the audit may run, most preferred first (replicas, then the primary); not empty
     * @return the report of the first candidate that ran it to the end
     * @throws ValidationException when {@code candidates} is empty
     * @throws AuditException      when the last candidate cannot run it to the end either
     */
    public AuditReport audit(List<DataSource> candidates) {
        List<DataSource> sources = List.copyOf(candidates);
        if (sources.isEmpty()) {
            throw new ValidationException("audit.candidates", "needs at least one data source (a read replica, then the primary)",
                    "[]");
        }
        for (int i = 0; i < sources.size() - 1; i++) {
            try {
                return audit(sources.get(i));
            } catch (ResumeReviewDbException e) {
                // Whatever failed on the replica, the primary's run settles it (a real problem with the data fails there too).
                LOG.warn("audit on a read replica failed ({}); running it on the primary", e.getMessage());
            }
        }
        return audit(sources.get(sources.size() - 1));
    }

    /**
     * Audits the database at {@code url} through one unpooled connection, closed at the end.
     *
     * @param url the database and its credentials; the report names it without credentials
     * @return the counts and failures of every mapped table, read in one read-only snapshot
     * @throws AuditException when the audit cannot run to the end; the message never holds the password
     * @throws com.airesumereview.db.DatabaseUnavailableException when the server cannot be reached
     * @throws com.airesumereview.db.ConfigurationException       (setting {@code url}) when the server refuses the
     *                                                             login or has no such database
     */
    public AuditReport audit(DatabaseUrl url) {
        Objects.requireNonNull(url, "url");
        Connection connection = Connections.open(url, "resume-review-db audit");
        try (connection) {
            return audit(connection, Secrets.address(url.jdbcUrl()), url.password());
        } catch (SQLException e) {
            throw new AuditException("auditing " + url.jdbcUrl() + " failed: "
                    + Secrets.describe(e, url.password()), e);
        }
    }

    /**
     * Audits through one connection borrowed from {@code dataSource} (e.g. a service's pool) and given back.
     *
     * @param dataSource where to borrow the connection; the report names its URL without credentials
     * @return the counts and failures of every mapped table, read in one read-only snapshot
     * @throws AuditException when the audit cannot run to the end
     */
    public AuditReport audit(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            return audit(connection, Secrets.address(connection.getMetaData().getURL()), null);
        } catch (SQLException e) {
            throw new AuditException("audit failed: " + Secrets.rootMessage(e), e);
        }
    }

    private AuditReport audit(Connection connection, String database, String password) throws SQLException {
        return ReadOnlyTransaction.read(connection, c -> {
            List<TableAudit> tables = new ArrayList<>();
            for (TableMapping mapping : RowMappings.all()) {
                tables.add(auditTable(c, mapping, password));
            }
            return new AuditReport(database, tables, failuresListed, findings(c));
        });
    }

    /**
     * Streams one table with a server-side cursor (plain JDBC, {@code fetchSize} rows per round trip, inside the
     * read-only transaction) and maps each row with the repositories' own reader: nothing else converts values, so
     * a row fails here exactly when a repository would fail on it.
     */
    private TableAudit auditTable(Connection c, TableMapping mapping, String password) throws SQLException {
        long read = 0;
        long failed = 0;
        List<RowFailure> failures = new ArrayList<>();
        String sql = DSL.using(SQLDialect.POSTGRES, RowMappings.settings())
                .render(DSL.select(mapping.columns()).from(mapping.from()));
        try (java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            s.setFetchSize(fetchSize);
            try (ResultSet rs = s.executeQuery()) {
                Row row = Row.of(rs, mapping.columns());
                while (rs.next()) {
                    String failure;
                    try {
                        Objects.requireNonNull(mapping.reader().read(row), "mapping returned null");
                        failure = null;
                    } catch (SQLException | RuntimeException | StackOverflowError e) {
                        fatalUnlessRowProblem(mapping, e);
                        failure = reason(e, secretsOf(rs, mapping, password));
                    }
                    read++;
                    if (failure != null) {
                        failed++;
                        if (failures.size() < failuresListed) {
                            failures.add(new RowFailure(rs.getString(1), failure));
                        }
                    }
                    if (read % progressEvery == 0) {
                        progress.accept(new AuditProgress(mapping.table(), read, failed, false));
                    }
                }
            }
        } catch (SQLException e) {
            throw new AuditException("reading " + mapping.table() + " failed: " + Secrets.describe(e, password), e);
        }
        progress.accept(new AuditProgress(mapping.table(), read, failed, true));
        return new TableAudit(mapping.table(), read, failed, failures);
    }

    /** The email invariant: both writers store users.email trimmed and lower-case; lookups and the unique key rely on it. */
    static final String EMAIL_INVARIANT = "users.email is not stored trimmed and lower-case (both writers store it so;"
            + " users_email_key cannot see a duplicate in another case, and lookups by email do not find the row)";

    /** Rows that map but break an invariant the library relies on; read in the same snapshot. */
    private List<InvariantFinding> findings(Connection c) throws SQLException {
        List<InvariantFinding> out = new ArrayList<>();
        try (java.sql.PreparedStatement s = c.prepareStatement("SELECT id::text FROM users"
                + " WHERE email <> lower(email) OR email ~ '^\\s|\\s$' ORDER BY id LIMIT ?")) {
            s.setInt(1, failuresListed);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new InvariantFinding("users", rs.getString(1), EMAIL_INVARIANT));
                }
            }
        }
        return out;
    }

    /** A lost connection or a server error is not a problem of one row: it ends the audit. */
    private static void fatalUnlessRowProblem(TableMapping mapping, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // Connection (08), transaction state (25), rollback (40), resources (53), limits (54),
                // operator intervention such as a timeout (57), system (58), internal (XX).
                if (state.matches("(08|25|40|53|54|57|58|XX).*")) {
                    throw new AuditException("reading " + mapping.table() + " failed: " + Secrets.rootMessage(e), e);
                }
            }
        }
    }

    private static List<String> secretsOf(ResultSet rs, TableMapping mapping, String password) throws SQLException {
        List<String> secrets = new ArrayList<>();
        if (password != null) {
            secrets.add(password);
        }
        for (Field<String> secret : mapping.secretColumns()) {
            secrets.add(rs.getString(secret.getName()));
        }
        return secrets;
    }

    private static String reason(Throwable e, List<String> secrets) {
        if (e instanceof StackOverflowError) {
            return "StackOverflowError: a value is nested too deeply for the mapping";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "(no message)" : root.getMessage();
        String text = mask(root.getClass().getSimpleName() + ": " + message.replaceAll("\\s+", " "), secrets);
        return text.length() <= REASON_MAX ? text : text.substring(0, REASON_MAX - 3) + "...";
    }

    /**
     * Masks every run of at least {@value #SECRET_RUN} characters that also occurs in one of {@code secrets}, so a
     * message quoting a secret in part (a column cut at 50 characters) shows none of it. Secrets shorter than that
     * are masked where they occur whole if they have at least 8 characters; shorter values are not hashes.
     */
    static String mask(String text, List<String> secrets) {
        boolean[] masked = new boolean[text.length()];
        for (String secret : secrets) {
            if (secret == null || secret.length() < 8) {
                continue;
            }
            int run = Math.min(SECRET_RUN, secret.length());
            for (int i = 0; i + run <= text.length(); i++) {
                if (secret.contains(text.substring(i, i + run))) {
                    Arrays.fill(masked, i, i + run, true);
                }
            }
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!masked[i]) {
                b.append(text.charAt(i));
            } else if (i == 0 || !masked[i - 1]) {
                b.append(Secrets.MASK);
            }
        }
        return b.toString();
    }



    /** Settings of an {@link AuditEngine}. */
    public static final class Builder {
        private int fetchSize = 1_000;
        private int failuresListed = 20;
        private long progressEvery = 100_000;
        private Consumer<AuditProgress> progress = p -> { };

        private Builder() {
        }

        /**
         * Rows per round trip of the cursor (default 1,000).
         *
         * @param rows 1..100,000
         * @return this builder
         * @throws IllegalArgumentException when {@code rows} is out of range
         */
        public Builder fetchSize(int rows) {
            if (rows < 1 || rows > 100_000) {
                throw new IllegalArgumentException("fetchSize must be 1..100000, was " + rows);
            }
            this.fetchSize = rows;
            return this;
        }

        /**
         * How many failed rows to list per table (default 20); all are counted. Also caps the findings listed per
         * invariant.
         *
         * @param rows 0..10,000; 0 lists none
         * @return this builder
         * @throws IllegalArgumentException when {@code rows} is out of range
         */
        public Builder failuresListed(int rows) {
            if (rows < 0 || rows > 10_000) {
                throw new IllegalArgumentException("failuresListed must be 0..10000, was " + rows);
            }
            this.failuresListed = rows;
            return this;
        }

        /**
         * Report progress every this many rows of a table (default 100,000), and when a table is done.
         *
         * @param rows positive
         * @return this builder
         * @throws IllegalArgumentException when {@code rows} is not positive
         */
        public Builder progressEvery(long rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("progressEvery must be positive, was " + rows);
            }
            this.progressEvery = rows;
            return this;
        }

        /**
         * Receives progress reports, on the auditing thread.
         *
         * @param listener called for each report; not null (default: ignores them)
         * @return this builder
         */
        public Builder progress(Consumer<AuditProgress> listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * An engine with these settings.
         *
         * @return a new engine; the builder may be changed and built again afterwards
         */
        public AuditEngine build() {
            return new AuditEngine(this);
        }
    }
}
