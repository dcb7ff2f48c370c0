package com.airesumereview.db.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Records what a caller sends to the driver: the SQL text of every statement it prepares or executes, and the
 * transaction calls around them ({@code setAutoCommit}, {@code commit}, {@code rollback}, savepoints). It sits
 * between the caller and the pool, at the JDBC boundary, so it sees the same thing whether the library renders
 * through jOOQ or executes prebuilt statements through JDBC itself.
 *
 * <p>Only for checking that the library and its baseline send the same SQL: never used while timing (the
 * dynamic proxies would add their own cost to both sides).
 */
final class RecordingDataSource {
    private static final Set<String> TRANSACTION_CALLS = Set.of("setAutoCommit", "commit", "rollback",
            "setSavepoint", "releaseSavepoint", "setTransactionIsolation", "setReadOnly");
    private static final Set<String> STATEMENT_FACTORIES = Set.of("prepareStatement", "prepareCall",
            "createStatement");
    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "addBatch", "executeBatch");

    private final DataSource target;
    private final List<String> sent = new ArrayList<>();

    RecordingDataSource(DataSource target) {
        this.target = target;
    }

    /** A data source whose connections record into this recorder. */
    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    /** Runs {@code work} and returns what it sent, in order: SQL texts and transaction calls. */
    synchronized List<String> record(Runnable work) {
        sent.clear();
        work.run();
        return List.copyOf(sent);
    }

    private synchronized void add(String entry) {
        sent.add(entry);
    }

    private Connection connection(Connection real) {
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if (TRANSACTION_CALLS.contains(name)) {
                add(name + (args == null || args.length == 0 || args[0] instanceof String ? "()" : "(" + args[0] + ")"));
            }
            Object result = invoke(real, method, args);
            if (STATEMENT_FACTORIES.contains(name) && result instanceof Statement s) {
                if (args != null && args.length > 0 && args[0] instanceof String sql) {
                    add(sql);
                }
                return statement(s);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private Statement statement(Statement real) {
        Class<?> type = real instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler h = (proxy, method, args) -> {
            // A plain Statement carries its SQL in execute(sql); a prepared one was recorded when prepared.
            if (EXECUTES.contains(method.getName()) && args != null && args.length > 0 && args[0] instanceof String sql) {
                add(sql);
            }
            return invoke(real, method, args);
        };
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
