package io.taskstream.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the Dapr sidecar's outbound side ({@code /v1.0/healthz/outbound}: its
 * components are loaded). Part of the readiness group only: with the sidecar down the app
 * stays live and keeps accepting tasks into the outbox.
 */
final class DaprSidecarHealthIndicator implements HealthIndicator {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final URI uri;

	DaprSidecarHealthIndicator(EventsProperties.Dapr settings) {
		this.uri = settings.httpEndpoint().resolve("/v1.0/healthz/outbound");
	}

	@Override
	public Health health() {
		try {
			HttpResponse<Void> response = this.http.send(
					HttpRequest.newBuilder(this.uri).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding());
			Health.Builder health = (response.statusCode() / 100 == 2) ? Health.up() : Health.down();
			return health.withDetail("endpoint", this.uri.toString())
				.withDetail("status", response.statusCode())
				.build();
		}
		catch (IOException ex) {
			return Health.down().withDetail("endpoint", this.uri.toString()).withDetail("error", ex.toString()).build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().build();
		}
	}

}
