package io.taskstream.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events streams per user. A client that connects (or reconnects with
 * {@code Last-Event-ID}) first gets what it missed, read from the database, then live
 * items, without gaps or repeats: it is registered before the catch-up is read, and each
 * connection skips ids it already sent. Heartbeat comments keep proxies from closing idle
 * streams. Live items reach the clients connected to this instance.
 *
 * @param <T> the items, each with an increasing id
 */
public final class SseHub<T> implements AutoCloseable {

	private final Map<String, Set<Client<T>>> clients = new ConcurrentHashMap<>();

	private final String eventName;

	private final ToLongFunction<T> id;

	private final ScheduledExecutorService heartbeats;

	/**
	 * @param name the SSE event name, also the {@code stream} tag of the
	 * {@code taskstream_sse_clients} gauge
	 * @param id an item's id, sent as the SSE id
	 */
	public SseHub(String name, ToLongFunction<T> id, Duration heartbeat, MeterRegistry registry) {
		this.eventName = name;
		this.id = id;
		this.heartbeats = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "sse-heartbeat-" + name);
			thread.setDaemon(true);
			return thread;
		});
		this.heartbeats.scheduleAtFixedRate(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(),
				TimeUnit.MILLISECONDS);
		Gauge.builder("taskstream.sse.clients", this, SseHub::connected)
			.description("Server-Sent Events streams open")
			.tag("stream", name)
			.register(registry);
	}

	/**
	 * Opens a stream.
	 * @param lastEventId the last id the client saw, 0 for none
	 * @param missed reads the items after an id, oldest first
	 * @param wanted which live items this client wants
	 */
	public SseEmitter open(String user, long lastEventId, CatchUp<T> missed, Predicate<T> wanted) {
		SseEmitter emitter = new SseEmitter(Duration.ofMinutes(30).toMillis());
		Client<T> client = new Client<>(emitter, lastEventId, wanted);
		Set<Client<T>> ofUser = this.clients.computeIfAbsent(user, (key) -> ConcurrentHashMap.newKeySet());
		ofUser.add(client);
		Runnable remove = () -> ofUser.remove(client);
		emitter.onCompletion(remove);
		emitter.onTimeout(remove);
		emitter.onError((error) -> remove.run());
		client.catchUp(missed.after(lastEventId), this.id, this.eventName);
		return emitter;
	}

	/** Sends an item to the user's open streams that want it. */
	public void publish(String user, T item) {
		long itemId = this.id.applyAsLong(item);
		for (Client<T> client : this.clients.getOrDefault(user, Set.of())) {
			client.live(item, itemId, this.eventName);
		}
	}

	int connected() {
		return this.clients.values().stream().mapToInt(Set::size).sum();
	}

	private void heartbeat() {
		this.clients.values().forEach((ofUser) -> ofUser.forEach(Client::heartbeat));
	}

	@Override
	public void close() {
		this.heartbeats.shutdownNow();
		this.clients.values().forEach((ofUser) -> ofUser.forEach((client) -> client.emitter.complete()));
	}

	/** Reads what a client missed: the items after an id, oldest first. */
	@FunctionalInterface
	public interface CatchUp<T> {

		List<T> after(long lastEventId);

	}

	private static final class Client<T> {

		private final SseEmitter emitter;

		private final Predicate<T> wanted;

		private long lastSent;

		/**
		 * Live items that came while the catch-up was read; sent after it, in id order.
		 */
		private List<T> held = new java.util.ArrayList<>();

		Client(SseEmitter emitter, long lastSent, Predicate<T> wanted) {
			this.emitter = emitter;
			this.lastSent = lastSent;
			this.wanted = wanted;
		}

		synchronized void live(T item, long id, String name) {
			if (this.held != null) {
				this.held.add(item);
			}
			else {
				send(item, id, name);
			}
		}

		synchronized void catchUp(List<T> missed, ToLongFunction<T> id, String name) {
			List<T> all = new java.util.ArrayList<>(missed);
			all.addAll(this.held);
			all.sort(java.util.Comparator.comparingLong(id));
			this.held = null;
			for (T item : all) {
				send(item, id.applyAsLong(item), name);
			}
		}

		synchronized void send(T item, long id, String name) {
			if (id <= this.lastSent || !this.wanted.test(item)) {
				return;
			}
			try {
				this.emitter
					.send(SseEmitter.event().id(Long.toString(id)).name(name).data(item, MediaType.APPLICATION_JSON));
				this.lastSent = id;
			}
			catch (IOException | IllegalStateException ex) {
				this.emitter.completeWithError(ex);
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
