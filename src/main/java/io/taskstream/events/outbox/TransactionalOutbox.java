package io.taskstream.events.outbox;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.Outbox;
import io.taskstream.events.TaskEvent;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@link Outbox} as a table: a row in {@code tasks.outbox} per event, in the same
 * transaction as the task change. The {@link OutboxRelay} publishes the rows, woken right
 * after the commit.
 */
final class TransactionalOutbox implements Outbox {

	private final JdbcClient jdbc;

	private final OutboxRelay relay;

	TransactionalOutbox(JdbcClient jdbc, OutboxRelay relay) {
		this.jdbc = jdbc;
		this.relay = relay;
	}

	@Override
	public void append(TaskEvent event, String traceparent) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("Outbox.append needs a transaction: the event must commit with its change");
		}
		this.jdbc.sql("""
				INSERT INTO tasks.outbox (event_id, topic, task_id, payload, traceparent)
				VALUES (:eventId, :topic, :taskId, :payload, :traceparent)
				""")
			.param("eventId", event.eventId())
			.param("topic", event.type().topic())
			.param("taskId", event.taskId())
			.param("payload", CloudEvents.write(event, traceparent))
			.param("traceparent", traceparent)
			.update();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				TransactionalOutbox.this.relay.wake();
			}
		});
	}

}
