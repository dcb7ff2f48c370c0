package com.airesumereview.db.provisioning.internal;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flyway log ({@code Flyway.configure().loggers(WarningsOnlyFlywayLog.class.getName())}) that drops Flyway's
 * DEBUG, INFO and NOTICE lines (the banner, "Successfully applied 2 migrations", ...) and hands warnings and errors
 * to SLF4J, whatever backend the test run uses. Flyway instantiates it by name, hence public.
 */
public final class WarningsOnlyFlywayLog implements LogCreator {
    @Override
    public Log createLogger(Class<?> clazz) {
        Logger logger = LoggerFactory.getLogger(clazz);
        return new Log() {
            @Override
            public boolean isDebugEnabled() {
                return false;
            }

            @Override
            public void debug(String message) {
            }

            @Override
            public void info(String message) {
            }

            @Override
            public void notice(String message) {
            }

            @Override
            public void warn(String message) {
                logger.warn(message);
            }

            @Override
            public void error(String message) {
                logger.error(message);
            }

            @Override
            public void error(String message, Exception e) {
                logger.error(message, e);
            }
        };
    }
}
