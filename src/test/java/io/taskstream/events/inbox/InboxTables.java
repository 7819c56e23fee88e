package io.taskstream.events.inbox;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An inbox schema of a test's own: the roles' inbox tables, copied from analytics, so
 * that neither the application's sweeper nor another test's events meet the test's.
 */
final class InboxTables {

	private InboxTables() {
	}

	static void create(JdbcClient jdbc, String schema) {
		jdbc.sql("CREATE SCHEMA " + schema).update();
		for (String table : List.of("processed_events", "task_sequences", "parked_events", "skipped_gaps")) {
			jdbc.sql("CREATE TABLE " + schema + "." + table + " (LIKE analytics." + table + " INCLUDING ALL)").update();
		}
	}

	static void drop(JdbcClient jdbc, String schema) {
		jdbc.sql("DROP SCHEMA " + schema + " CASCADE").update();
	}

}
