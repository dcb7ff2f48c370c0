package com.airesumereview.db.bench;

import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Setup and checks through plain JDBC, never timed. */
final class BenchData {
    private BenchData() {
    }

    /**
     * Writes {@code count} uploads of one user with COPY, one second apart (newest first ending now), as rows the
     * other service writes over time look: distinct {@code created_at} values.
     */
    static void uploadsOverTime(DataSource ds, UUID userId, int count) {
        Instant newest = Instant.now().truncatedTo(ChronoUnit.MICROS);
        HexFormat hex = HexFormat.of();
        byte[] hash = new byte[32];
        try (Connection c = ds.getConnection()) {
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY public.file_uploads (user_id, filename,"
                    + " original_filename, mime_type, file_size, file_hash, created_at, updated_at) FROM STDIN");
            StringBuilder b = new StringBuilder(1 << 17);
            for (int i = 0; i < count; i++) {
                ThreadLocalRandom.current().nextBytes(hash);
                String at = newest.minusSeconds(i).toString();
                b.append(userId).append('\t').append(UUID.randomUUID()).append(".pdf\tresume-").append(i)
                        .append(".pdf\tapplication/pdf\t49152\t").append(hex.formatHex(hash)).append('\t')
                        .append(at).append('\t').append(at).append('\n');
                if (b.length() > 1 << 16) {
                    write(in, b);
                }
            }
            write(in, b);
            in.endCopy();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(CopyIn in, StringBuilder b) throws SQLException {
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        b.setLength(0);
    }

    static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static long count(DataSource ds, String sql, Object... args) {
        List<Object> row = row(ds, sql, args);
        return ((Number) row.get(0)).longValue();
    }

    static List<Object> row(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                List<Object> out = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getObject(i));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static List<UUID> ids(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<UUID> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The driver's COPY, written by hand for the same columns and rows as FileUploadRepository.createAll. */
    static long copyDirectly(DataSource ds, List<NewFileUpload> uploads) {
        String sql = "COPY public.file_uploads (user_id, filename, original_filename, mime_type, file_size, file_hash,"
                + " target_role, target_industry, experience_level) FROM STDIN";
        try (Connection c = ds.getConnection()) {
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            StringBuilder b = new StringBuilder((1 << 16) + 4096);
            for (NewFileUpload u : uploads) {
                b.append(u.userId()).append('\t');
                text(b, u.filename()).append('\t');
                text(b, u.originalFilename()).append('\t');
                text(b, u.mimeType()).append('\t');
                b.append(u.fileSize()).append('\t');
                text(b, u.fileHash()).append('\t');
                text(b, u.targetRole()).append('\t');
                text(b, u.targetIndustry()).append('\t');
                text(b, u.experienceLevel() == null ? null : u.experienceLevel().literal()).append('\n');
                if (b.length() >= 1 << 16) {
                    write(in, b);
                }
            }
            write(in, b);
            return in.endCopy();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** COPY text format: a correct hand-written COPY must escape these too. */
    private static StringBuilder text(StringBuilder b, String v) {
        if (v == null) {
            return b.append("\\N");
        }
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(ch);
            }
        }
        return b;
    }

    /**
     * A HikariCP pool of {@code size} connections, all opened at once, to {@code db} as its application user;
     * {@code initSql} (or null) runs on every new connection.
     */
    static HikariDataSource pool(ProvisionedDatabase db, String name, int size, String initSql) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setJdbcUrl(db.url().jdbcUrl());
        if (db.url().user() != null) {
            h.setUsername(db.url().user());
        }
        if (db.url().password() != null) {
            h.setPassword(db.url().password());
        }
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(size);
        if (initSql != null) {
            h.setConnectionInitSql(initSql);
        }
        return new HikariDataSource(h);
    }
}
