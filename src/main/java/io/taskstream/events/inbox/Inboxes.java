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
 * Makes each subscriber role's {@link Inbox}, knows them by schema (for the gap listing
 * and its gauges), and every few seconds lets each inbox retry the parked events whose
 * predecessor is in but which failed to follow it ({@link Inbox#applyReady()}). Nothing
 * here applies an event without its predecessor.
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
		this.sweeper = new Worker("inbox-ready", this::sweep, Backoff.fixed(sweepInterval()));
	}

	/** A subscriber's inbox, in the schema of its role's name. */
	Inbox inbox(Subscriber subscriber) {
		Inbox inbox = new Inbox(this.jdbc, this.transaction, subscriber.role(), subscriber.effect(),
				subscriber.keepsLateEvents(), Clock.systemUTC());
		this.inboxes.add(inbox);
		return inbox;
	}

	/** This process's inboxes, in the order the roles made them. */
	public List<Inbox> all() {
		return List.copyOf(this.inboxes);
	}

	/** A tenth of the gap alert threshold, between 100 ms and 5 s. */
	Duration sweepInterval() {
		Duration tenth = this.properties.gapAlertAfter().dividedBy(10);
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
				inbox.applyReady();
			}
			catch (RuntimeException ex) {
				log.warn(inbox.schema() + " could not retry its ready parked events (will try again): " + ex, ex);
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
