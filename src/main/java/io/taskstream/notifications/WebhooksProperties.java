package io.taskstream.notifications;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param allowPrivateTargets allow webhook URLs on special-purpose addresses (loopback,
 * private, link-local...) and on any port (tests, a private deployment); off by default
 * against SSRF
 * @param allowedPorts the ports a webhook URL may name (explicitly or by its scheme)
 * @param retryFor how long a delivery is retried before it is marked failed
 * @param initialBackoff the first wait after a failed delivery, doubled each time
 * @param maxBackoff the longest wait between tries
 * @param timeout how long a receiver may take to answer
 * @param maxInFlight calls in flight at most, one sender thread each; deliveries are
 * claimed only for free senders
 * @param maxInFlightPerTarget calls in flight to one host at most, so a receiver that
 * hangs holds only these senders
 * @param lease how long a claimed delivery is reserved for this instance; renewed while
 * its call runs, so it only runs out when the instance dies
 */
@ConfigurationProperties("taskstream.webhooks")
record WebhooksProperties(@DefaultValue("false") boolean allowPrivateTargets, @DefaultValue( {
		"80", "443" }) Set<Integer> allowedPorts, @DefaultValue("24h") Duration retryFor,
		@DefaultValue("2s") Duration initialBackoff, @DefaultValue("1h") Duration maxBackoff,
		@DefaultValue("5s") Duration timeout, @DefaultValue("8") int maxInFlight,
		@DefaultValue("2") int maxInFlightPerTarget, @DefaultValue("60s") Duration lease){

	WebhooksProperties {
		if (maxInFlight < 1 || maxInFlightPerTarget < 1 || maxInFlightPerTarget > maxInFlight) {
			throw new IllegalArgumentException(
					"taskstream.webhooks: need 1 <= max-in-flight-per-target <= max-in-flight");
		}
		if (lease.toMillis() < 300) {
			throw new IllegalArgumentException("taskstream.webhooks.lease must be at least 300ms");
		}
	}

}
