package io.taskstream.events.inbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.taskstream.events.EventsProperties;
import io.taskstream.events.Subscriber;
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

	private ScheduledExecutorService sweeper;

	Inboxes(JdbcClient jdbc, TransactionTemplate transaction, EventsProperties properties) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.properties = properties;
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
	public synchronized void start() {
		this.sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "inbox-overdue");
			thread.setDaemon(true);
			return thread;
		});
		long every = sweepInterval().toMillis();
		this.sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
	}

	private void sweep() {
		for (Inbox inbox : this.inboxes) {
			try {
				inbox.applyOverdue();
			}
			catch (RuntimeException ex) {
				log.warn(inbox.schema() + " could not apply its overdue parked events (will try again): " + ex, ex);
			}
		}
	}

	@Override
	public synchronized void stop() {
		if (this.sweeper != null) {
			this.sweeper.shutdown();
			try {
				this.sweeper.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.sweeper = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.sweeper != null;
	}

}
