package io.taskstream.tools.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LogFileTests {

	@TempDir
	Path dir;

	@Test
	void theTailStartsWhereTheCurrentRunBegan() throws IOException {
		Path log = this.dir.resolve("tasks-dapr.log");
		Files.writeString(log, "earlier run: bind: address already in use\n");
		long start = Files.size(log);
		Files.writeString(log, "this run: starting\nthis run: failed\n", java.nio.file.StandardOpenOption.APPEND);
		assertThat(LogFile.tail(log, start, 40)).isEqualTo("this run: starting\nthis run: failed");
		assertThat(LogFile.tail(log, start, 1)).isEqualTo("this run: failed");
		assertThat(LogFile.tail(log, 0, 40)).startsWith("earlier run");
	}

	@Test
	void aRunThatLoggedNothingSaysSo() throws IOException {
		Path log = this.dir.resolve("kafka.log");
		Files.writeString(log, "earlier run\n");
		assertThat(LogFile.tail(log, Files.size(log), 40)).isEqualTo("(nothing logged in this run)");
		assertThat(LogFile.tail(this.dir.resolve("missing.log"), 0, 40)).startsWith("(no log:");
	}

}
