package io.taskstream.events.dapr;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.taskstream.events.EventsProperties;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the Dapr sidecar's outbound side ({@code /v1.0/healthz/outbound}: its
 * components are loaded). Part of the readiness group only: with the sidecar down the app
 * stays live and keeps accepting tasks into the outbox.
 *
 * <p>
 * Also the metric {@code taskstream_dapr_sidecar_state{state}}: 1 for the sidecar's
 * current state, 0 for the others. {@code unreachable} means nothing answers on the
 * sidecar's port: daprd is not running, e.g. it exited because a component failed to
 * initialise (a Kafka login refused: the reason is in daprd's own log, which the app
 * cannot read); {@code not_ready} means it runs but its components are not (yet) loaded.
 */
final class DaprSidecarHealthIndicator implements HealthIndicator, MeterBinder {

	/** What the app can tell about its sidecar. */
	enum State {

		READY, NOT_READY, UNREACHABLE;

		String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private record Check(State state, Health health, long at) {
	}

	/**
	 * A scrape reads the last check when it is this fresh, to not call the sidecar per
	 * gauge.
	 */
	private static final long FRESH_NANOS = Duration.ofSeconds(1).toNanos();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final URI uri;

	private volatile Check last;

	DaprSidecarHealthIndicator(EventsProperties.Dapr settings) {
		this.uri = settings.httpEndpoint().resolve("/v1.0/healthz/outbound");
	}

	@Override
	public Health health() {
		return check().health();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (State state : State.values()) {
			Gauge.builder("taskstream.dapr.sidecar.state", () -> (recentCheck().state() == state) ? 1 : 0)
				.description("1 for the Dapr sidecar's current state as the app sees it, 0 for the others")
				.tag("state", state.label())
				.register(registry);
		}
	}

	private Check recentCheck() {
		Check check = this.last;
		return (check != null && System.nanoTime() - check.at() < FRESH_NANOS) ? check : check();
	}

	private Check check() {
		Check check;
		try {
			HttpResponse<Void> response = this.http.send(
					HttpRequest.newBuilder(this.uri).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding());
			State state = (response.statusCode() / 100 == 2) ? State.READY : State.NOT_READY;
			Health.Builder health = (state == State.READY) ? Health.up() : Health.down();
			check = new Check(state,
					health.withDetail("endpoint", this.uri.toString())
						.withDetail("state", state.label())
						.withDetail("status", response.statusCode())
						.build(),
					System.nanoTime());
		}
		catch (IOException ex) {
			String reason = (ex instanceof ConnectException)
					? "nothing listens on the sidecar's port: daprd is not running (see its log: a component that"
							+ " fails to initialise, e.g. a refused Kafka login, makes it exit)"
					: ex.toString();
			check = new Check(State.UNREACHABLE,
					Health.down()
						.withDetail("endpoint", this.uri.toString())
						.withDetail("state", State.UNREACHABLE.label())
						.withDetail("error", reason)
						.build(),
					System.nanoTime());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Check(State.NOT_READY, Health.unknown().build(), System.nanoTime());
		}
		this.last = check;
		return check;
	}

}
