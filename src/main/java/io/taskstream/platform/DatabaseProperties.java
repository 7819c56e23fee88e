package io.taskstream.platform;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param statementTimeout the longest any one SQL statement may run, on every pooled
 * session ({@code statement_timeout}): a query a client can shape (a long date range, a
 * slow plan) gives a 503 instead of holding a connection for ever. Background work runs
 * in small batches well inside it; migrations are exempt ({@link RoleSchemas}).
 * @param connectionTimeout the longest a request waits for a pooled connection (the
 * pool's {@code connectionTimeout}, also the driver's connect timeout): while the
 * database is down or the pool is exhausted a request fails with a 503 after this rather
 * than hanging for Hikari's default 30 s (the readiness probe does not wait for the pool:
 * {@code health-timeout}). Not shorter: a pool that is only busy (a burst, a pause of the
 * JVM or of a starved core) must not turn calls that would succeed a moment later into
 * 503s; at 2 s the broker-freeze scenario saw 152 of 4,205 calls answered 503 with the
 * database up
 * @param validationTimeout the longest the pool spends checking that a connection is
 * alive before handing it out; less than {@code connectionTimeout}
 * @param retryAfter the {@code Retry-After} of the 503 answered while the database cannot
 * be reached: about how long a restart of it takes
 * @param healthTimeout the longest the readiness probe's database check takes (whole
 * seconds, at least 1): it connects on a connection of its own, not a pooled one, so it
 * answers DOWN within this while the database is away and UP while it is only busy; less
 * than the probe's timeout
 */
@ConfigurationProperties("taskstream.database")
record DatabaseProperties(@DefaultValue("5s") Duration statementTimeout,
		@DefaultValue("10s") Duration connectionTimeout, @DefaultValue("1s") Duration validationTimeout,
		@DefaultValue("5s") Duration retryAfter, @DefaultValue("2s") Duration healthTimeout) {

	DatabaseProperties {
		if (validationTimeout.compareTo(connectionTimeout) >= 0) {
			throw new IllegalArgumentException("taskstream.database.validation-timeout (" + validationTimeout
					+ ") must be shorter than taskstream.database.connection-timeout (" + connectionTimeout + ")");
		}
	}

}
