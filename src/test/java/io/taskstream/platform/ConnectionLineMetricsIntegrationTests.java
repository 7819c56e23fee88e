package io.taskstream.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The line in front of the pool is measured where the pool's own meters cannot see it:
 * the application's data source is behind a {@link FairConnectionGate}, and its waiters
 * and timeouts are meters of their own.
 */
@IntegrationTest
class ConnectionLineMetricsIntegrationTests {

	@Autowired
	MeterRegistry registry;

	@Test
	void theLineInFrontOfThePoolHasItsWaitersAndTimeoutsAsMeters() {
		assertThat(this.registry.get("taskstream.database.connections.waiting").gauge().value()).isZero();
		assertThat(this.registry.get("taskstream.database.connections.timeouts").functionCounter().count()).isZero();
	}

}
