package io.taskstream.notifications;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Pushes each new notification to every connected device of its user (Server-Sent
 * Events). A device that reconnects with {@code Last-Event-ID} first gets what it missed
 * from the database, then live ones, without gaps or repeats: each connection remembers
 * the last id it sent. Heartbeat comments keep proxies from closing idle streams. Live
 * fan-out reaches the devices connected to this instance.
 */
class NotificationStream implements AutoCloseable {

	private final Map<String, Set<Client>> clients = new ConcurrentHashMap<>();

	private final NotificationRepository reader;

	private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "sse-heartbeat");
		thread.setDaemon(true);
		return thread;
	});

	NotificationStream(NotificationRepository reader, Duration heartbeat, MeterRegistry registry) {
		this.reader = reader;
		this.heartbeats.scheduleAtFixedRate(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(),
				TimeUnit.MILLISECONDS);
		Gauge.builder("taskstream.sse.clients", this, NotificationStream::connected)
			.description("Server-Sent Events streams open")
			.register(registry);
	}

	SseEmitter open(String user, long lastEventId) {
		SseEmitter emitter = new SseEmitter(Duration.ofMinutes(30).toMillis());
		Client client = new Client(emitter, lastEventId);
		Set<Client> ofUser = this.clients.computeIfAbsent(user, (key) -> ConcurrentHashMap.newKeySet());
		ofUser.add(client);
		Runnable remove = () -> ofUser.remove(client);
		emitter.onCompletion(remove);
		emitter.onTimeout(remove);
		emitter.onError((error) -> remove.run());
		// registered first, so nothing committed from now on is missed; the client skips
		// repeats
		for (Notification missed : this.reader.after(user, lastEventId)) {
			client.send(missed);
		}
		return emitter;
	}

	void publish(String user, Notification notification) {
		for (Client client : this.clients.getOrDefault(user, Set.of())) {
			client.send(notification);
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

	private static final class Client {

		private final SseEmitter emitter;

		private long lastSent;

		Client(SseEmitter emitter, long lastSent) {
			this.emitter = emitter;
			this.lastSent = lastSent;
		}

		synchronized void send(Notification notification) {
			if (notification.id() <= this.lastSent) {
				return;
			}
			try {
				this.emitter.send(SseEmitter.event()
					.id(Long.toString(notification.id()))
					.name("notification")
					.data(notification, MediaType.APPLICATION_JSON));
				this.lastSent = notification.id();
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
