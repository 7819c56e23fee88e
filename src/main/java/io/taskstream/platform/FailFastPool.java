package io.taskstream.platform;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.transaction.TransactionSystemException;

/**
 * Makes the pool give up quickly when the database cannot be reached (stopped,
 * restarting, unreachable), and recognises the errors that say so: a request then fails
 * within {@link DatabaseProperties#connectionTimeout()} and is answered 503 with
 * {@code Retry-After} ({@link ProblemHandler}), and the background {@link Worker}s back
 * off and resume once it is back. Hikari's defaults (30 s to wait for a connection, 5 s
 * to validate one) would hold a request thread for half a minute per call instead. (The
 * readiness probe does not use the pool: {@link DatabaseHealthIndicator}.)
 */
final class FailFastPool implements BeanPostProcessor {

	/**
	 * PostgreSQL's SQLSTATEs for a server going away: shut down by an administrator, a
	 * crash of another backend, and "cannot connect now" while it starts or stops.
	 */
	private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");

	private final DatabaseProperties properties;

	FailFastPool(DatabaseProperties properties) {
		this.properties = properties;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool) {
			pool.setConnectionTimeout(this.properties.connectionTimeout().toMillis());
			pool.setValidationTimeout(this.properties.validationTimeout().toMillis());
			// the driver's own connect timeout (seconds): a host that drops packets fails
			// as fast as one that refuses the connection
			pool.addDataSourceProperty("connectTimeout",
					Long.toString(Math.max(1, this.properties.connectionTimeout().toSeconds())));
		}
		return bean;
	}

	/**
	 * Whether the error is the pool's answer to using a connection it has already closed
	 * as broken. Hikari closes a connection when the driver reports it lost (SQLSTATE
	 * class 08, 57P01-57P03, ...); a transaction whose commit failed that way is then
	 * rolled back on the closed connection, and Spring throws that rollback's error
	 * ("Connection is closed", no SQLSTATE) in place of the commit's, which it only logs
	 * ("Commit exception overridden by rollback exception"): in db-restart three calls
	 * were answered 500 so, their commits ended by PostgreSQL's shutdown (57P01). The
	 * application never closes a connection it still uses, so only the pool does this.
	 */
	static boolean closedByThePool(SQLException ex) {
		StackTraceElement[] trace = ex.getStackTrace();
		return ex.getSQLState() == null && trace.length > 0
				&& trace[0].getClassName().startsWith("com.zaxxer.hikari.pool.ProxyConnection");
	}

	/**
	 * Puts the pool behind a {@link FairConnectionGate}: callers wait for a connection in
	 * arrival order, never longer than the connection timeout.
	 */
	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool) {
			// unset (-1) until the pool starts, which then takes Hikari's default, 10
			int size = (pool.getMaximumPoolSize() > 0) ? pool.getMaximumPoolSize() : 10;
			return new FairConnectionGate(pool, size, this.properties.connectionTimeout());
		}
		return bean;
	}

	/**
	 * Whether the error means the database could not be reached or went away during the
	 * call, so that trying again once it is back may succeed. A transaction that failed
	 * this way was rolled back, or (a connection lost during the commit itself) its
	 * outcome is unknown to the caller, never reported as a success.
	 */
	static boolean isUnavailable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			// a rollback that failed on the dead connection hides the error that caused
			// it
			if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
					&& isUnavailable(rollback.getApplicationException())) {
				return true;
			}
			// by the driver's error, not Spring's or the pool's wrapper: a pool that
			// timed
			// out because it is exhausted (busy, not down) says so without such a cause
			if (cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || SERVER_GOING_AWAY.contains(sql.getSQLState()))) {
				return true;
			}
			if (cause instanceof SQLException sql && closedByThePool(sql)) {
				return true;
			}
		}
		return false;
	}

}
