package io.taskstream.tools.stack;

import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The local stack's PostgreSQL: the embedded binaries, kept running by this small JVM
 * until it is told to stop (SIGTERM stops PostgreSQL cleanly). Usage:
 * {@code StackPostgres <data-directory> <port>}.
 */
public final class StackPostgres {

	private StackPostgres() {
	}

	public static void main(String[] args) throws Exception {
		Path data = Path.of(args[0]);
		Files.createDirectories(data);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(data)
			.setCleanDataDirectory(false)
			.setPort(Integer.parseInt(args[1]))
			.setServerConfig("max_connections", "200")
			// per-statement timings for scripts/bench (CREATE EXTENSION
			// pg_stat_statements)
			.setServerConfig("shared_preload_libraries", "pg_stat_statements")
			.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				postgres.close();
			}
			catch (Exception ex) {
				ex.printStackTrace();
			}
		}));
		System.out.println("PostgreSQL ready on port " + postgres.getPort());
		Thread.currentThread().join();
	}

}
