package io.taskstream.events.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Makes one relay per database the publisher, so several {@code tasks} instances keep
 * each task's order: a PostgreSQL session advisory lock, held on a connection of its own
 * for as long as this instance leads. If that connection breaks, the lock is gone and any
 * instance may take it.
 */
final class LeaderLock {

	private static final Log log = LogFactory.getLog(LeaderLock.class);

	/** "TSOUTBOX" in ASCII. */
	static final long KEY = 0x54534F5554424F58L;

	/**
	 * How long a check that the lock's connection is alive is trusted. The relay asks at
	 * the start of every pass, and at a steady rate a pass is one commit's row: checking
	 * each time was a round trip to PostgreSQL per event. A pass that starts within this
	 * of the last check trusts it, as a long pass (a drain) always trusted the check at
	 * its start; a second instance that takes the lock meanwhile publishes rows again at
	 * most, which the subscribers' inbox deduplicates and orders.
	 */
	static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

	private final DataSource dataSource;

	private Connection connection;

	private long checkedAt;

	LeaderLock(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** Whether this instance leads, taking the lock if nobody holds it. */
	synchronized boolean isHeld() throws SQLException {
		if (this.connection != null && System.nanoTime() - this.checkedAt < CHECK_INTERVAL.toNanos()) {
			return true;
		}
		if (this.connection != null && this.connection.isValid(2)) {
			this.checkedAt = System.nanoTime();
			return true;
		}
		release();
		Connection candidate = this.dataSource.getConnection();
		try (PreparedStatement statement = candidate.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
			statement.setLong(1, KEY);
			try (ResultSet result = statement.executeQuery()) {
				if (result.next() && result.getBoolean(1)) {
					this.connection = candidate;
					this.checkedAt = System.nanoTime();
					log.info("This instance's outbox relay is the publisher");
					return true;
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			candidate.close();
			throw ex;
		}
		candidate.close();
		return false;
	}

	/**
	 * Lets another instance lead. The lock is unlocked explicitly: closing a pooled
	 * connection only returns it to the pool, where its session would keep the lock and
	 * no relay could take it (as after a stop and start of this one).
	 */
	synchronized void release() {
		if (this.connection != null) {
			try (PreparedStatement statement = this.connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
				statement.setLong(1, KEY);
				statement.execute();
			}
			catch (SQLException ex) {
				log.debug("Unlocking the relay's lock failed (a broken connection holds no lock)", ex);
			}
			try {
				this.connection.close();
			}
			catch (SQLException ex) {
				log.debug("Closing the relay's lock connection failed", ex);
			}
			this.connection = null;
		}
	}

}
