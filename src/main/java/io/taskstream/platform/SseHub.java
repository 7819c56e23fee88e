package io.taskstream.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events streams per user over items kept in the database, each with an id
 * that a client can resume after ({@code Last-Event-ID}).
 * <p>
 * A stream only ever sends what it reads from the database after the last id it sent:
 * first what the client missed, then, each time the user's items change, what is new. For
 * that to have no gaps, a user's items must become visible in id order, which concurrent
 * writers (a subscriber takes several topics at once) do not guarantee by themselves: a
 * later id can commit first. So each writer calls {@link #appending} in its transaction
 * before its insert takes an id: that holds the user's append lock until commit and wakes
 * the user's streams after it. The same order makes a polling cursor over the items safe.
 * Heartbeat comments keep proxies from closing idle streams. Live items reach the clients
 * connected to this instance; a reconnect to any instance catches up.
 *
 * @param <T> the items, each with an id that grows in the order a user's items commit
 */
public final class SseHub<T> implements AutoCloseable {

	private final Map<String, Set<Client<T>>> clients = new ConcurrentHashMap<>();

	private final String eventName;

	private final ToLongFunction<T> id;

	private final JdbcClient jdbc;

	/** The users whose streams have something new since the sender last looked. */
	private final Set<String> woken = ConcurrentHashMap.newKeySet();

	private final Duration heartbeat;

	private long nextHeartbeatNanos;

	/** Sends new items and heartbeats, off the writers' threads. */
	private final Worker sender;

	/**
	 * @param name the SSE event name, also the {@code stream} tag of the
	 * {@code taskstream_sse_clients} gauge
	 * @param id an item's id, sent as the SSE id
	 * @param jdbc the database of the items
	 */
	public SseHub(String name, ToLongFunction<T> id, Duration heartbeat, MeterRegistry registry, JdbcClient jdbc) {
		this.eventName = name;
		this.id = id;
		this.jdbc = jdbc;
		this.heartbeat = heartbeat;
		this.nextHeartbeatNanos = System.nanoTime() + heartbeat.toNanos();
		this.sender = new Worker("sse-" + name, this::send, new Backoff(Duration.ofMillis(100), heartbeat));
		this.sender.start();
		Gauge.builder("taskstream.sse.clients", this, SseHub::connected)
			.description("Server-Sent Events streams open")
			.tag("stream", name)
			.register(registry);
	}

	/**
	 * Opens a stream.
	 * @param lastEventId the last id the client saw, 0 for none
	 * @param items reads the stream's items after an id, oldest first (its filters
	 * included)
	 */
	public SseEmitter open(String user, long lastEventId, Items<T> items) {
		SseEmitter emitter = new SseEmitter(Duration.ofMinutes(30).toMillis());
		Client<T> client = new Client<>(emitter, lastEventId, items);
		Set<Client<T>> ofUser = this.clients.computeIfAbsent(user, (key) -> ConcurrentHashMap.newKeySet());
		ofUser.add(client);
		Runnable remove = () -> ofUser.remove(client);
		emitter.onCompletion(remove);
		emitter.onTimeout(remove);
		emitter.onError((error) -> remove.run());
		client.sendNew(this.id, this.eventName);
		return emitter;
	}

	/**
	 * Called in a writer's transaction before it inserts an item of the user: takes the
	 * user's append lock (a PostgreSQL advisory lock held until the transaction ends), so
	 * that the user's ids commit in order, and wakes the user's streams once it commits.
	 */
	public void appending(String user) {
		this.jdbc.sql("SELECT pg_advisory_xact_lock(:stream, hashtext(:user))")
			.param("stream", this.eventName.hashCode())
			.param("user", user)
			.query()
			.singleRow();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				wake(user);
			}
		});
	}

	/** Sends what is new to the user's open streams. */
	void wake(String user) {
		Set<Client<T>> ofUser = this.clients.get(user);
		if (ofUser != null && !ofUser.isEmpty()) {
			this.woken.add(user);
			this.sender.wake();
		}
	}

	/**
	 * The sender's round: what is new to the woken users' streams, then a heartbeat to
	 * every stream when one is due.
	 * @return the wait until the next heartbeat
	 */
	private Duration send() {
		for (String user : this.woken) {
			this.woken.remove(user);
			Set<Client<T>> ofUser = this.clients.get(user);
			if (ofUser != null) {
				ofUser.forEach((client) -> client.sendNew(this.id, this.eventName));
			}
		}
		if (System.nanoTime() - this.nextHeartbeatNanos >= 0) {
			heartbeat();
			this.nextHeartbeatNanos = System.nanoTime() + this.heartbeat.toNanos();
		}
		return Duration.ofNanos(this.nextHeartbeatNanos - System.nanoTime());
	}

	int connected() {
		return this.clients.values().stream().mapToInt(Set::size).sum();
	}

	private void heartbeat() {
		this.clients.values().forEach((ofUser) -> ofUser.forEach(Client::heartbeat));
	}

	@Override
	public void close() {
		this.sender.stop();
		this.clients.values().forEach((ofUser) -> ofUser.forEach((client) -> client.emitter.complete()));
	}

	/** Reads a stream's items after an id, oldest first; may return a page at a time. */
	@FunctionalInterface
	public interface Items<T> {

		List<T> after(long lastEventId);

	}

	private static final class Client<T> {

		private final SseEmitter emitter;

		private final Items<T> items;

		private long lastSent;

		Client(SseEmitter emitter, long lastSent, Items<T> items) {
			this.emitter = emitter;
			this.lastSent = lastSent;
			this.items = items;
		}

		synchronized void sendNew(ToLongFunction<T> id, String name) {
			List<T> page = this.items.after(this.lastSent);
			while (!page.isEmpty()) {
				for (T item : page) {
					if (!send(item, id.applyAsLong(item), name)) {
						return;
					}
				}
				page = this.items.after(this.lastSent);
			}
		}

		private boolean send(T item, long id, String name) {
			try {
				this.emitter
					.send(SseEmitter.event().id(Long.toString(id)).name(name).data(item, MediaType.APPLICATION_JSON));
				this.lastSent = id;
				return true;
			}
			catch (IOException | IllegalStateException ex) {
				this.emitter.completeWithError(ex);
				return false;
			}
		}

		synchronized void heartbeat() {
			try {
				this.emitter.send(SseEmitter.event().comment("heartbeat"));
			}
			catch (IOException | IllegalStateException ex) {
				this.emitter.completeWithError(ex);
			}
		}

	}

}
