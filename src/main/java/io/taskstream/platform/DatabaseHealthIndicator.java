package io.taskstream.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness's {@code db}: whether the database can be reached from this instance now,
 * answered within {@link DatabaseProperties#healthTimeout()}.
 * <p>
 * It asks on a connection of its own, opened for the check and closed after it, not on a
 * pooled one. Spring Boot's indicator borrows from the pool, so it waits in the same line
 * as every caller: while the database was away in {@code scripts/chaos db-restart} the
 * probe did not answer for 10-20 s (the pool's connection timeout, behind the requests
 * already waiting), and a pool that is only busy would have turned the instance not ready
 * under load, taking capacity away exactly when it is needed. A busy pool is not a down
 * database: calls it cannot serve in time are answered 503 with {@code Retry-After}
 * anyway.
 * <p>
 * Checks are shared: one at a time, and an answer younger than a second is reused, so
 * probes and scrapes together open at most about one connection a second.
 */
final class DatabaseHealthIndicator implements HealthIndicator {

	private static final long FRESH_NANOS = Duration.ofSeconds(1).toNanos();

	private final String url;

	private final Properties login;

	private Health last;

	private long lastAt;

	/**
	 * @param pool where the settings come from: its JDBC URL, user and password
	 * @param timeout the longest a check may take: the login, its connect included
	 */
	DatabaseHealthIndicator(HikariDataSource pool, Duration timeout) {
		this.url = pool.getJdbcUrl();
		this.login = new Properties();
		this.login.putAll(pool.getDataSourceProperties());
		if (pool.getUsername() != null) {
			this.login.setProperty("user", pool.getUsername());
		}
		if (pool.getPassword() != null) {
			this.login.setProperty("password", pool.getPassword());
		}
		// PostgreSQL's driver takes seconds: the whole login, its connect, and each read
		String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
		this.login.setProperty("loginTimeout", seconds);
		this.login.setProperty("connectTimeout", seconds);
		this.login.setProperty("socketTimeout", seconds);
		this.login.setProperty("ApplicationName", "taskstream-readiness");
	}

	@Override
	public synchronized Health health() {
		long now = System.nanoTime();
		if (this.last == null || now - this.lastAt > FRESH_NANOS) {
			this.last = check();
			this.lastAt = System.nanoTime();
		}
		return this.last;
	}

	private Health check() {
		long began = System.nanoTime();
		// a login is the check: PostgreSQL refuses one while it starts, stops or recovers
		try (Connection connection = DriverManager.getConnection(this.url, this.login)) {
			return Health.up()
				.withDetail("database", connection.getMetaData().getDatabaseProductName())
				.withDetail("checkedInMs", (System.nanoTime() - began) / 1_000_000)
				.build();
		}
		catch (SQLException ex) {
			return Health.down()
				.withDetail("error", ex.getMessage())
				.withDetail("sqlState", String.valueOf(ex.getSQLState()))
				.withDetail("checkedInMs", (System.nanoTime() - began) / 1_000_000)
				.build();
		}
	}

}
