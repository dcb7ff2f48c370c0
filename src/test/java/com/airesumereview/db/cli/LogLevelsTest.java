package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** --verbose is recognised wherever picocli accepts it (before or after the command), and not after "--". */
class LogLevelsTest {

    @Test
    void verboseAnywhereBeforeTheEndOfOptions() {
        assertThat(LogLevels.verbose(new String[] {"--verbose", "demo"})).isTrue();
        assertThat(LogLevels.verbose(new String[] {"demo", "--verbose"})).isTrue();
        assertThat(LogLevels.verbose(new String[] {"demo"})).isFalse();
        assertThat(LogLevels.verbose(new String[] {"demo", "--", "--verbose"})).isFalse();
    }

    @Test
    void everyCommandAcceptsVerboseAndHelpListsIt() {
        Cli.Run help = Cli.run("verify", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--verbose");
        assertThat(Cli.run("--verbose", "demo", "--help").exitCode()).as("before the command").isZero();
        assertThat(Cli.run("audit", "--verbose", "--help").exitCode()).as("after the command").isZero();
    }
}
