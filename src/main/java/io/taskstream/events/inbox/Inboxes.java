package io.taskstream.events.inbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.taskstream.events.EventsProperties;
import io.taskstream.events.Subscriber;
import io.taskstream.platform.Backoff;
import io.taskstream.platform.Worker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes each subscriber role's {@link Inbox}, with this process's order wait, and every
 * few seconds lets each inbox apply the parked events that waited the order wait in vain
 * ({@link Inbox#applyOverdue()}).
 */
final class Inboxes implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(Inboxes.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final EventsProperties properties;

	private final List<Inbox> inboxes = new CopyOnWriteArrayList<>();

	private final Worker sweeper;

	Inboxes(JdbcClient jdbc, TransactionTemplate transaction, EventsProperties properties) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.properties = properties;
		this.sweeper = new Worker("inbox-overdue", this::sweep, Backoff.fixed(sweepInterval()));
	}

	/** A subscriber's inbox, in the schema of its role's name. */
	Inbox inbox(Subscriber subscriber) {
		Inbox inbox = new Inbox(this.jdbc, this.transaction, subscriber.role(), subscriber.effect(),
				this.properties.orderWait(), subscriber.keepsLateEvents(), Clock.systemUTC());
		this.inboxes.add(inbox);
		return inbox;
	}

	/** A tenth of the order wait, between 100 ms and 5 s. */
	Duration sweepInterval() {
		Duration tenth = this.properties.orderWait().dividedBy(10);
		Duration atLeast = (tenth.compareTo(Duration.ofMillis(100)) < 0) ? Duration.ofMillis(100) : tenth;
		return (atLeast.compareTo(Duration.ofSeconds(5)) > 0) ? Duration.ofSeconds(5) : atLeast;
	}

	@Override
	public void start() {
		this.sweeper.start();
	}

	/** Each inbox in turn; one that fails does not keep the others from theirs. */
	private Duration sweep() {
		for (Inbox inbox : this.inboxes) {
			try {
				inbox.applyOverdue();
			}
			catch (RuntimeException ex) {
				log.warn(inbox.schema() + " could not apply its overdue parked events (will try again): " + ex, ex);
			}
		}
		return sweepInterval();
	}

	@Override
	public void stop() {
		this.sweeper.stop();
	}

	@Override
	public boolean isRunning() {
		return this.sweeper.isRunning();
	}

}
