package io.taskstream.platform;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class FailFastPoolTests {

	@Test
	void aRefusedConnectionBehindThePoolsTimeoutMeansTheDatabaseIsAway() {
		SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
		Exception wrapped = new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
				new SQLTransientConnectionException("request timed out after 2000ms", refused));

		assertThat(FailFastPool.isUnavailable(wrapped)).isTrue();
	}

	@Test
	void aServerShuttingDownMeansTheDatabaseIsAway() {
		assertThat(FailFastPool
			.isUnavailable(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
	}

	@Test
	void aRollbackThatFailedOnTheDeadConnectionIsJudgedByTheErrorBeforeIt() {
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
				new SQLException("Connection is closed"));
		rollback.initApplicationException(new SQLException("An I/O error occurred while sending", "08006"));

		assertThat(FailFastPool.isUnavailable(rollback)).isTrue();
	}

	@Test
	void aRollbackOnAConnectionThePoolClosedAsBrokenMeansTheDatabaseIsAway() {
		// what Spring throws when a commit failed with 57P01 and the rollback after it
		// found the connection closed by Hikari: the commit's error is only logged
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed", closedByHikari());

		assertThat(FailFastPool.isUnavailable(rollback)).isTrue();
	}

	@Test
	void aClosedConnectionErrorNotFromThePoolIsNotJudgedAway() {
		SQLException elsewhere = new SQLException("Connection is closed");

		assertThat(FailFastPool.closedByThePool(elsewhere)).isFalse();
		assertThat(FailFastPool.isUnavailable(new TransactionSystemException("JDBC rollback failed", elsewhere)))
			.isFalse();
	}

	private static SQLException closedByHikari() {
		SQLException closed = new SQLException("Connection is closed");
		closed.setStackTrace(new StackTraceElement[] {
				new StackTraceElement("com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection",
						"lambda$getClosedConnection$0", "ProxyConnection.java", 515),
				new StackTraceElement("jdk.proxy2.$Proxy123", "rollback", null, -1) });
		return closed;
	}

	@Test
	void anExhaustedPoolIsBusyNotAway() {
		Exception exhausted = new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
				new SQLTransientConnectionException("request timed out after 2000ms"));

		assertThat(FailFastPool.isUnavailable(exhausted)).isFalse();
		assertThat(StatementTimeout.isTimeout(exhausted)).isTrue();
	}

	@Test
	void aConstraintViolationIsNeither() {
		SQLException duplicate = new SQLException("duplicate key", "23505");

		assertThat(FailFastPool.isUnavailable(duplicate)).isFalse();
		assertThat(StatementTimeout.isTimeout(duplicate)).isFalse();
	}

}
