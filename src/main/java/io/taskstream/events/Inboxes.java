package io.taskstream.events;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes each subscriber role's {@link Inbox}, knows them by schema (for the gap listing
 * and its gauges), and every few seconds lets each inbox retry the parked events whose
 * predecessor is in but which failed to follow it ({@link Inbox#applyReady()}). Nothing
 * here applies an event without its predecessor.
 */
@Component
public class Inboxes implements SmartLifecycle {

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

	/** The inbox of a projection, which ignores an event its task has moved past. */
	public Inbox projection(String schema, TaskEventHandler effect) {
		return add(new Inbox(this.jdbc, this.transaction, schema, effect, false, Clock.systemUTC()));
	}

	/** The inbox of the event store, which keeps every event, however late. */
	public Inbox eventStore(String schema, TaskEventHandler effect) {
		return add(new Inbox(this.jdbc, this.transaction, schema, effect, true, Clock.systemUTC()));
	}

	private Inbox add(Inbox inbox) {
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
	public synchronized void start() {
		this.sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "inbox-ready");
			thread.setDaemon(true);
			return thread;
		});
		long every = sweepInterval().toMillis();
		this.sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
	}

	private void sweep() {
		for (Inbox inbox : this.inboxes) {
			try {
				inbox.applyReady();
			}
			catch (RuntimeException ex) {
				log.warn(inbox.schema() + " could not retry its ready parked events (will try again): " + ex, ex);
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
