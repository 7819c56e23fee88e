package io.taskstream.platform;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What one user, and one instance, may hold or do; beyond it a call is a 429 problem with
 * {@code Retry-After}.
 *
 * @param webhooksPerUser webhooks a user may have registered
 * @param streamsPerUser Server-Sent Events streams a user may have open on one instance
 * @param streamsPerInstance streams open on one instance, all users together: each holds
 * a connection and its buffers, no thread (docs/reliability.md measures 10,000); it must
 * stay 200 below {@code server.tomcat.max-connections}
 * @param writesPerSecond a user's sustained rate of writes (POST, PUT, PATCH, DELETE)
 * @param writeBurst writes a user may make at once before the rate applies
 */
@ConfigurationProperties("taskstream.quotas")
@Validated
public record QuotaProperties(@DefaultValue("20") @Min(1) int webhooksPerUser,
		@DefaultValue("10") @Min(1) int streamsPerUser, @DefaultValue("10000") @Min(1) int streamsPerInstance,
		@DefaultValue("10") @Min(1) int writesPerSecond, @DefaultValue("100") @Min(1) int writeBurst) {
}
