package io.taskstream.events;

import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Makes each subscriber role's {@link Inbox}, with this process's order wait. */
@Component
public class Inboxes {

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final EventsProperties properties;

	Inboxes(JdbcClient jdbc, TransactionTemplate transaction, EventsProperties properties) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.properties = properties;
	}

	/** The inbox of a projection, which ignores an event its task has moved past. */
	public Inbox projection(String schema) {
		return new Inbox(this.jdbc, this.transaction, schema, this.properties.orderWait(), false, Clock.systemUTC());
	}

	/** The inbox of the event store, which keeps every event, however late. */
	public Inbox eventStore(String schema) {
		return new Inbox(this.jdbc, this.transaction, schema, this.properties.orderWait(), true, Clock.systemUTC());
	}

}
