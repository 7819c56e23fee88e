package io.taskstream.tools.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The database's view of a run: the outbox rows a phase wrote and when each subscriber
 * handled them, all on PostgreSQL's one clock.
 */
final class BenchDatabase implements AutoCloseable {

	static final List<String> SUBSCRIBERS = List.of("analytics", "notifications", "audit");

	/**
	 * The key of {@link #commitToHandler}'s commit → published: the part of the path the
	 * relay and the publishing sidecar take.
	 */
	static final String PUBLISHED = "published";

	private final int port;

	private final Connection db;

	BenchDatabase(int port) throws SQLException {
		this.port = port;
		this.db = connect();
	}

	/** A connection of its own, e.g. for a probe on another thread. */
	Connection connect() throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + this.port + "/postgres", "postgres", "");
	}

	@Override
	public void close() throws SQLException {
		this.db.close();
	}

	/** The newest event in the outbox: a real task.created CloudEvent. */
	String newestEvent() throws SQLException {
		try (PreparedStatement statement = this.db
			.prepareStatement("SELECT payload FROM tasks.outbox ORDER BY id DESC LIMIT 1");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getString(1);
		}
	}

	Timestamp now() throws SQLException {
		try (PreparedStatement statement = this.db.prepareStatement("SELECT clock_timestamp()");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getTimestamp(1);
		}
	}

	long maxOutboxId() throws SQLException {
		return single("SELECT coalesce(max(id), 0) FROM tasks.outbox");
	}

	long events(long lo, long hi) throws SQLException {
		return single("SELECT count(*) FROM tasks.outbox WHERE id > " + lo + " AND id <= " + hi);
	}

	Map<String, Long> delivered(long lo, long hi) throws SQLException {
		Map<String, Long> delivered = new LinkedHashMap<>();
		for (String subscriber : SUBSCRIBERS) {
			delivered.put(subscriber, single("SELECT count(*) FROM tasks.outbox o JOIN " + subscriber
					+ ".processed_events p ON p.event_id = o.event_id WHERE o.id > " + lo + " AND o.id <= " + hi));
		}
		return delivered;
	}

	/**
	 * Waits until every subscriber has the events in (lo, hi], at most {@code limit} s.
	 */
	double settle(long lo, long hi, int limitSeconds) throws SQLException, InterruptedException {
		long events = events(lo, hi);
		long started = System.nanoTime();
		long deadline = started + Duration.ofSeconds(limitSeconds).toNanos();
		while (System.nanoTime() < deadline) {
			if (delivered(lo, hi).values().stream().allMatch((count) -> count >= events)) {
				return Measurements.round((System.nanoTime() - started) / 1e9);
			}
			Thread.sleep(250);
		}
		Benchmark.progress(
				"  gave up waiting for delivery after " + limitSeconds + " s: " + delivered(lo, hi) + " of " + events);
		return limitSeconds;
	}

	/**
	 * Per event, from its commit (the outbox row's {@code created_at}: the start of the
	 * writing transaction, at most its few ms before the commit) to each subscriber's
	 * handler (its inbox row's {@code processed_at}: {@code clock_timestamp()} at the
	 * handler's first statement). One PostgreSQL clock for both. Also, under
	 * {@value #PUBLISHED}, from the commit to the relay's mark that the sidecar took it
	 * ({@code published_at}: the start of the relay's update, right after the answer).
	 */
	Map<String, Latencies> commitToHandler(long lo, long hi) throws SQLException {
		Map<String, Latencies> latencies = new LinkedHashMap<>();
		latencies.put(PUBLISHED,
				Latencies.ofMillis(millis("SELECT extract(epoch FROM published_at - created_at) * 1000 "
						+ "FROM tasks.outbox WHERE published_at IS NOT NULL AND id > " + lo + " AND id <= " + hi)));
		for (String subscriber : SUBSCRIBERS) {
			latencies.put(subscriber,
					Latencies.ofMillis(millis("SELECT extract(epoch FROM p.processed_at - o.created_at) * 1000 "
							+ "FROM tasks.outbox o JOIN " + subscriber
							+ ".processed_events p ON p.event_id = o.event_id WHERE o.id > " + lo + " AND o.id <= "
							+ hi)));
		}
		latencies.put("all",
				Latencies.ofMillis(
						millis("""
								SELECT extract(epoch FROM greatest(a.processed_at, n.processed_at, u.processed_at) - o.created_at) * 1000
								FROM tasks.outbox o
								JOIN analytics.processed_events a ON a.event_id = o.event_id
								JOIN notifications.processed_events n ON n.event_id = o.event_id
								JOIN audit.processed_events u ON u.event_id = o.event_id
								WHERE o.id > %d AND o.id <= %d"""
							.formatted(lo, hi))));
		return latencies;
	}

	private double[] millis(String sql) throws SQLException {
		List<Double> values = new ArrayList<>();
		try (PreparedStatement statement = this.db.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				values.add(rs.getDouble(1));
			}
		}
		return values.stream().mapToDouble(Double::doubleValue).toArray();
	}

	long fewestHandledSince(Timestamp since) throws SQLException {
		return fewestHandledSince(this.db, since);
	}

	/**
	 * The fewest events any subscriber has handled since {@code since} (a sequential scan
	 * of each {@code processed_events}; cheap next to joining a range).
	 */
	static long fewestHandledSince(Connection connection, Timestamp since) throws SQLException {
		long fewest = Long.MAX_VALUE;
		for (String subscriber : SUBSCRIBERS) {
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT count(*) FROM " + subscriber + ".processed_events WHERE processed_at >= ?")) {
				statement.setTimestamp(1, since);
				try (ResultSet rs = statement.executeQuery()) {
					rs.next();
					fewest = Math.min(fewest, rs.getLong(1));
				}
			}
		}
		return fewest;
	}

	/** Starts PostgreSQL's per-statement timings (pg_stat_statements) afresh. */
	void resetStatementTimes() throws SQLException {
		try (Statement statement = this.db.createStatement()) {
			statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
			statement.execute("SELECT pg_stat_statements_reset()");
		}
	}

	/**
	 * What PostgreSQL spent its execution time on since {@link #resetStatementTimes()}:
	 * the total, and the {@code limit} statements that took most of it. Execution only:
	 * parsing, commits and their WAL flushes are not in it.
	 */
	String busiestStatements(int limit) throws SQLException {
		String others = " WHERE query NOT LIKE '%pg_stat_statements%'";
		StringBuilder text = new StringBuilder();
		try (Statement statement = this.db.createStatement();
				ResultSet total = statement.executeQuery(
						"SELECT coalesce(sum(total_exec_time), 0), coalesce(sum(calls), 0) FROM pg_stat_statements"
								+ others)) {
			total.next();
			text.append(String.format(Locale.ROOT,
					"(pg_stat_statements, execution time only): %,.0f ms in %,d statements; the busiest:",
					total.getDouble(1), total.getLong(2)));
		}
		try (Statement statement = this.db.createStatement();
				ResultSet busiest = statement
					.executeQuery("SELECT total_exec_time, calls, query FROM pg_stat_statements" + others
							+ " ORDER BY total_exec_time DESC LIMIT " + limit)) {
			while (busiest.next()) {
				String query = busiest.getString(3).replaceAll("\\s+", " ").trim();
				text.append(String.format(Locale.ROOT, " %,.0f ms / %,d calls `%s`;", busiest.getDouble(1),
						busiest.getLong(2), (query.length() > 100) ? query.substring(0, 100) + "…" : query));
			}
		}
		return text.substring(0, text.length() - 1) + ".";
	}

	/**
	 * Seconds from {@code since} to the timestamp a query returns (NaN if none), both on
	 * the database's clock.
	 */
	double secondsAfter(Timestamp since, String sql) throws SQLException {
		try (PreparedStatement statement = this.db.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
			rs.next();
			Timestamp at = rs.getTimestamp(1);
			return (at == null) ? Double.NaN : (at.getTime() - since.getTime()) / 1e3;
		}
	}

	private long single(String sql) throws SQLException {
		try (PreparedStatement statement = this.db.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
