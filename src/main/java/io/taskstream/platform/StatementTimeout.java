package io.taskstream.platform;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Puts {@link DatabaseProperties#statementTimeout()} on every connection the pool opens
 * (before the pool starts, whichever configuration built it: the embedded database's or
 * Spring Boot's), and recognises the errors that mean "the database is too busy right
 * now", which the API answers with 503 and {@code Retry-After}.
 */
final class StatementTimeout implements BeanPostProcessor {

	/** PostgreSQL's SQLSTATE for a statement cancelled by its timeout. */
	static final String QUERY_CANCELED = "57014";

	private final DatabaseProperties properties;

	StatementTimeout(DatabaseProperties properties) {
		this.properties = properties;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool) {
			String timeout = "SET statement_timeout = " + this.properties.statementTimeout().toMillis();
			String configured = pool.getConnectionInitSql();
			pool.setConnectionInitSql(
					(configured == null || configured.isBlank()) ? timeout : timeout + "; " + configured);
		}
		return bean;
	}

	/**
	 * Lets the pool open fresh connections (with the timeout) after a piece of work that
	 * lifted it on the connections it used (migrations).
	 */
	static void renewConnections(DataSource dataSource) {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
				if (pool.getHikariPoolMXBean() != null) {
					pool.getHikariPoolMXBean().softEvictConnections();
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot reach the connection pool", ex);
		}
	}

	/** Whether the error means the database did not answer in time (retry later). */
	static boolean isTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			// the last: the pool timed out (a transaction's begin wraps it in another
			// exception than a plain query's)
			if (cause instanceof QueryTimeoutException || cause instanceof CannotGetJdbcConnectionException
					|| cause instanceof SQLTransientConnectionException) {
				return true;
			}
			if (cause instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

}
