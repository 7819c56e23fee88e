package io.taskstream.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class FairConnectionGateTests {

	private final DataSource pool = mock(DataSource.class);

	@Test
	void aCallerBeyondThePoolsSizeWaitsInLineAndIsAnsweredBusyAfterTheTimeout() throws Exception {
		given(this.pool.getConnection()).willAnswer((invocation) -> mock(Connection.class));
		FairConnectionGate gate = new FairConnectionGate(this.pool, 2, Duration.ofMillis(50));
		gate.getConnection();
		gate.getConnection();

		assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(gate::getConnection)
			.withMessageContaining("all 2 in use")
			.satisfies((busy) -> {
				assertThat(busy.getSQLState()).isNull();
				assertThat(FailFastPool.isUnavailable(busy)).isFalse();
				assertThat(StatementTimeout.isTimeout(busy)).isTrue();
			});
		verify(this.pool, org.mockito.Mockito.times(2)).getConnection();
		assertThat(gate.timedOut()).isEqualTo(1);
	}

	@Test
	void closingAConnectionLetsTheFirstInLineInOnceHoweverOftenItIsClosed() throws Exception {
		Connection connection = mock(Connection.class);
		given(this.pool.getConnection()).willReturn(connection);
		FairConnectionGate gate = new FairConnectionGate(this.pool, 1, Duration.ofSeconds(30));
		Connection first = gate.getConnection();
		CompletableFuture<Connection> second = CompletableFuture.supplyAsync(() -> connect(gate));
		await().until(() -> gate.waiting() == 1);

		first.close();
		first.close();

		Connection admitted = second.get();
		verify(connection, org.mockito.Mockito.times(2)).close();
		// the second close gave no second place: a third caller still waits
		CompletableFuture<Connection> third = CompletableFuture.supplyAsync(() -> connect(gate));
		await().until(() -> gate.waiting() == 1);
		admitted.close();
		assertThat(third.get()).isNotNull();
	}

	@Test
	void aPoolThatFailsGivesThePlaceBack() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		given(this.pool.getConnection()).willAnswer((invocation) -> {
			if (calls.incrementAndGet() == 1) {
				throw new SQLException("Connection refused", "08001");
			}
			return mock(Connection.class);
		});
		FairConnectionGate gate = new FairConnectionGate(this.pool, 1, Duration.ofMillis(50));

		assertThatExceptionOfType(SQLException.class).isThrownBy(gate::getConnection)
			.satisfies((refused) -> assertThat(refused.getSQLState()).isEqualTo("08001"));
		assertThat(gate.getConnection()).isNotNull();
	}

	@Test
	void theConnectionUnwrapsToThePoolsConnection() throws Exception {
		Connection connection = mock(Connection.class);
		given(this.pool.getConnection()).willReturn(connection);
		given(connection.unwrap(String.class)).willReturn("driver's");
		Connection gated = new FairConnectionGate(this.pool, 1, Duration.ofMillis(50)).getConnection();

		assertThat(gated.unwrap(Connection.class)).isSameAs(gated);
		assertThat(gated.unwrap(String.class)).isEqualTo("driver's");
		assertThat(gated).isEqualTo(gated).isNotEqualTo(connection);
	}

	private static Connection connect(FairConnectionGate gate) {
		try {
			return gate.getConnection();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
