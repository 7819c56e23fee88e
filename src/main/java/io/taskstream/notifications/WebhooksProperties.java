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
 */
@ConfigurationProperties("taskstream.webhooks")
record WebhooksProperties(@DefaultValue("false") boolean allowPrivateTargets, @DefaultValue( {
		"80", "443" }) Set<Integer> allowedPorts, @DefaultValue("24h") Duration retryFor,
		@DefaultValue("2s") Duration initialBackoff, @DefaultValue("1h") Duration maxBackoff,
		@DefaultValue("5s") Duration timeout){
}
