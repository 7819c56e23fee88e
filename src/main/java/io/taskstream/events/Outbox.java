package io.taskstream.events;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where the {@code tasks} role writes its events: a row in {@code tasks.outbox}, in the
 * same transaction as the task change, so an event exists if and only if the change was
 * committed. The {@link OutboxRelay} publishes the rows, woken right after the commit.
 */
public class Outbox {

	private final JdbcClient jdbc;

	private final OutboxSignal signal;

	Outbox(JdbcClient jdbc, OutboxSignal signal) {
		this.jdbc = jdbc;
		this.signal = signal;
	}

	/**
	 * Adds an event to the current transaction.
	 * @param traceparent the W3C trace context of the request that caused it, or
	 * {@code null}
	 * @throws IllegalStateException outside a transaction, where the guarantee would be
	 * lost
	 */
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
				Outbox.this.signal.wake();
			}
		});
	}

}
