package io.taskstream.events;

import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A role's record of the events it has processed, written in the same transaction as the
 * event's effect, so that at-least-once delivery has exactly-once effect. The table has
 * one column, {@code event_id uuid primary key}, in the role's own schema.
 */
public final class Inbox {

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final String insert;

	/**
	 * @param table the inbox table, qualified by the role's schema, e.g.
	 * {@code analytics.processed_events}
	 */
	public Inbox(JdbcClient jdbc, TransactionTemplate transaction, String table) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.insert = "INSERT INTO " + table + " (event_id) VALUES (:id) ON CONFLICT DO NOTHING";
	}

	/**
	 * Runs the effect once per event id, in one transaction with the record of it.
	 * @param effect returns whether it changed anything (a stale event may change
	 * nothing)
	 * @return {@code false} if the event was processed before, else what the effect said
	 */
	public boolean processOnce(UUID eventId, BooleanSupplier effect) {
		Boolean result = this.transaction.execute((status) -> {
			int inserted = this.jdbc.sql(this.insert).param("id", eventId).update();
			return inserted == 1 && effect.getAsBoolean();
		});
		return Boolean.TRUE.equals(result);
	}

}
