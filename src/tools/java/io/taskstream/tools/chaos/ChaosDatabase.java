package io.taskstream.tools.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The roles' databases as the verdict reads them: the tasks role's outbox (what was
 * committed, when it was published) and each subscriber's inbox
 * ({@code processed_events}: what it applied, when) and projections. The chaos stack
 * starts empty, so every row is the load's. Each query opens its own connection:
 * PostgreSQL may be the fault.
 */
public final class ChaosDatabase {

	static final List<String> SUBSCRIBERS = List.of("analytics", "notifications", "audit");

	private final int port;

	ChaosDatabase(int port) {
		this.port = port;
	}

	/** The events the tasks role committed. */
	public long committed() throws SQLException {
		return single("SELECT count(*) FROM tasks.outbox");
	}

	/** The committed events by topic ({@code task.created}, ...). */
	Map<String, Long> committedByTopic() throws SQLException {
		Map<String, Long> topics = new LinkedHashMap<>();
		try (Connection db = connect();
				PreparedStatement statement = db
					.prepareStatement("SELECT topic, count(*) FROM tasks.outbox GROUP BY topic ORDER BY topic");
				ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				topics.put(rs.getString(1), rs.getLong(2));
			}
		}
		return topics;
	}

	public long unpublished() throws SQLException {
		return single("SELECT count(*) FROM tasks.outbox WHERE published_at IS NULL");
	}

	/** How many of the committed events a subscriber's inbox holds. */
	public long processed(String subscriber) throws SQLException {
		return single("SELECT count(*) FROM tasks.outbox o JOIN " + subscriber
				+ ".processed_events p ON p.event_id = o.event_id");
	}

	/** Every subscriber's {@link #processed}. */
	Map<String, Long> processed() throws SQLException {
		Map<String, Long> processed = new LinkedHashMap<>();
		for (String subscriber : SUBSCRIBERS) {
			processed.put(subscriber, processed(subscriber));
		}
		return processed;
	}

	/**
	 * Per subscriber, events whose effect is stored more than once: the audit store's
	 * rows per event, the notifications per event; analytics' counters are checked as
	 * {@link #projections}.
	 */
	Map<String, Long> appliedTwice() throws SQLException {
		Map<String, Long> twice = new LinkedHashMap<>();
		twice.put("audit", single("SELECT count(*) - count(DISTINCT event_id) FROM audit.events"));
		twice.put("notifications", single("SELECT count(*) FROM (SELECT event_id FROM notifications.notifications "
				+ "GROUP BY event_id HAVING count(*) > 1) t"));
		return twice;
	}

	/**
	 * What the projections and the tasks table hold beside what they should: the load's
	 * acknowledged changes for the tasks table and the analytics counters, the committed
	 * events for the audit store.
	 * @param acknowledged the load's changes answered 2xx, by operation
	 * @param live the tasks the load holds: open, completed
	 */
	List<Observed.Projection> projections(Map<String, Long> acknowledged, long[] live) throws SQLException {
		Map<String, Long> topics = committedByTopic();
		return List.of(
				new Observed.Projection("tasks: open tasks", live[0],
						single("SELECT count(*) FROM tasks.tasks WHERE status = 'OPEN'")),
				new Observed.Projection("tasks: completed tasks", live[1],
						single("SELECT count(*) FROM tasks.tasks WHERE status = 'COMPLETED'")),
				new Observed.Projection("outbox: task.created", acknowledged.get("created"),
						topics.getOrDefault("task.created", 0L)),
				new Observed.Projection("outbox: task.updated", acknowledged.get("updated"),
						topics.getOrDefault("task.updated", 0L)),
				new Observed.Projection("outbox: task.completed", acknowledged.get("completed"),
						topics.getOrDefault("task.completed", 0L)),
				new Observed.Projection("outbox: task.deleted", acknowledged.get("deleted"),
						topics.getOrDefault("task.deleted", 0L)),
				new Observed.Projection("analytics: created", acknowledged.get("created"),
						single("SELECT coalesce(sum(created), 0) FROM analytics.daily_counts")),
				new Observed.Projection("analytics: completed", acknowledged.get("completed"),
						single("SELECT coalesce(sum(completed), 0) FROM analytics.daily_counts")),
				new Observed.Projection("analytics: deleted", acknowledged.get("deleted"),
						single("SELECT coalesce(sum(deleted), 0) FROM analytics.daily_counts")),
				new Observed.Projection("audit: stored events", committed(),
						single("SELECT count(*) FROM audit.events e JOIN tasks.outbox o ON o.event_id = e.event_id")));
	}

	/**
	 * The longest time in [from, to] in which the relay published nothing (seconds): at a
	 * steady load, how long publishing stalled.
	 */
	public double publishStall(Instant from, Instant to) throws SQLException {
		return longestGap("tasks.outbox", "published_at", from, to);
	}

	/** The longest time in [from, to] in which a subscriber applied nothing (seconds). */
	public double deliveryStall(String subscriber, Instant from, Instant to) throws SQLException {
		return longestGap(subscriber + ".processed_events", "processed_at", from, to);
	}

	/** Seconds from {@code since} to the first publish after it; NaN if none. */
	public double firstPublishAfter(Instant since) throws SQLException {
		return secondsAfter(since, "SELECT min(published_at) FROM tasks.outbox WHERE published_at > ?");
	}

	/** Seconds from {@code since} to a subscriber's first applied event after it. */
	public double firstDeliveryAfter(String subscriber, Instant since) throws SQLException {
		return secondsAfter(since,
				"SELECT min(processed_at) FROM " + subscriber + ".processed_events WHERE processed_at > ?");
	}

	/**
	 * Seconds from {@code since} until every event committed before it was applied by
	 * every subscriber (the backlog drained); 0 if it already was, NaN if it never was.
	 */
	public double drainedAfter(Instant since) throws SQLException {
		double drained = 0;
		for (String subscriber : SUBSCRIBERS) {
			long missing = single("SELECT count(*) FROM tasks.outbox o LEFT JOIN " + subscriber
					+ ".processed_events p ON p.event_id = o.event_id WHERE o.created_at < ? AND p.event_id IS NULL",
					since);
			if (missing > 0) {
				return Double.NaN;
			}
			drained = Math.max(drained, secondsAfter(since, "SELECT max(p.processed_at) FROM tasks.outbox o JOIN "
					+ subscriber + ".processed_events p ON p.event_id = o.event_id WHERE o.created_at < ?"));
		}
		return Math.max(0, drained);
	}

	/**
	 * The longest a subscriber took to apply an event committed between two instants,
	 * from its publication, in seconds (0 if there was none).
	 */
	public double longestDelivery(String subscriber, Instant from, Instant to) throws SQLException {
		String sql = "SELECT coalesce(max(extract(epoch FROM p.processed_at - o.published_at)), 0) FROM tasks.outbox o"
				+ " JOIN " + subscriber + ".processed_events p ON p.event_id = o.event_id"
				+ " WHERE o.created_at BETWEEN ? AND ?";
		return secondsBetween(sql, from, to);
	}

	private double longestGap(String table, String column, Instant from, Instant to) throws SQLException {
		String sql = "SELECT coalesce(max(gap), 0) FROM (SELECT extract(epoch FROM " + column + " - lag(" + column
				+ ") OVER (ORDER BY " + column + ")) AS gap FROM " + table + " WHERE " + column + " BETWEEN ? AND ?) g";
		return secondsBetween(sql, from, to);
	}

	/** A query of seconds over a window of two instants, its two parameters. */
	private double secondsBetween(String sql, Instant from, Instant to) throws SQLException {
		try (Connection db = connect(); PreparedStatement statement = db.prepareStatement(sql)) {
			statement.setTimestamp(1, Timestamp.from(from));
			statement.setTimestamp(2, Timestamp.from(to));
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return round(rs.getDouble(1));
			}
		}
	}

	private double secondsAfter(Instant since, String sql) throws SQLException {
		try (Connection db = connect(); PreparedStatement statement = db.prepareStatement(sql)) {
			statement.setTimestamp(1, Timestamp.from(since));
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				Timestamp at = rs.getTimestamp(1);
				return (at == null) ? Double.NaN : round((at.toInstant().toEpochMilli() - since.toEpochMilli()) / 1e3);
			}
		}
	}

	static double round(double seconds) {
		return Math.round(seconds * 10) / 10.0;
	}

	/**
	 * Starts PostgreSQL's per-statement timings ({@code pg_stat_statements}, preloaded by
	 * the stack) afresh, so {@link #slowestStatements} covers the load only.
	 */
	void startStatementTimings() throws SQLException {
		try (Connection db = connect(); java.sql.Statement statement = db.createStatement()) {
			statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
			statement.execute("SELECT pg_stat_statements_reset()");
		}
	}

	/**
	 * The statements that took longest at their slowest (commits included): whether a
	 * call that waited long for a pooled connection waited behind a slow database (a
	 * stalled fsync, a lock) or behind busy application threads.
	 */
	String slowestStatements(int count) throws SQLException {
		List<String> slowest = new java.util.ArrayList<>();
		try (Connection db = connect(); PreparedStatement statement = db.prepareStatement("""
				SELECT max_exec_time, mean_exec_time, calls, regexp_replace(query, '\\s+', ' ', 'g')
				FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
				ORDER BY max_exec_time DESC LIMIT ?""")) {
			statement.setInt(1, count);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					String query = rs.getString(4);
					slowest.add(String.format("%.0f ms (mean %.1f ms, %d calls) %s", rs.getDouble(1), rs.getDouble(2),
							rs.getLong(3), (query.length() > 70) ? query.substring(0, 70) + "..." : query));
				}
			}
		}
		return String.join("; ", slowest);
	}

	private long single(String sql) throws SQLException {
		return single(sql, null);
	}

	private long single(String sql, Instant at) throws SQLException {
		try (Connection db = connect(); PreparedStatement statement = db.prepareStatement(sql)) {
			if (at != null) {
				statement.setTimestamp(1, Timestamp.from(at));
			}
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + this.port + "/postgres", "postgres", "");
	}

}
