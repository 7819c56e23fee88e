package io.taskstream.platform;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Lets callers into the pool first come, first served: at most as many at once as the
 * pool has connections, the rest waiting in line (a fair semaphore) for at most the
 * pool's connection timeout.
 * <p>
 * Hikari's own wait is not a line. A connection handed back is offered to the waiters,
 * but a request thread that arrives at that moment may take it first, and a waiter that
 * loses such a race waits again at the back. With Tomcat's 200 request threads in front
 * of 10 connections, a burst on a starved CPU (a stack just started, two cores) let some
 * calls wait past the 10 s timeout while later ones were served: a 503 with the database
 * up, once in CI, once in the db-restart scenario before the fault. Behind this gate
 * there is never more than one caller per connection in the pool, so no race; the wait is
 * in arrival order, and a 503 says the pool really was busy for that long.
 * <p>
 * While the database is away the callers inside wait in the pool for a new connection as
 * before (and are answered 503 as it cannot be reached); those in line are answered 503
 * as busy once their wait is over, so a call may take up to twice the timeout then.
 */
final class FairConnectionGate extends DelegatingDataSource {

	private final Semaphore line;

	private final long timeoutNanos;

	private final int connections;

	private final AtomicLong timedOut = new AtomicLong();

	FairConnectionGate(DataSource pool, int connections, Duration timeout) {
		super(pool);
		this.connections = connections;
		this.line = new Semaphore(connections, true);
		this.timeoutNanos = timeout.toNanos();
	}

	@Override
	public Connection getConnection() throws SQLException {
		enter();
		return admitted(() -> super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		enter();
		return admitted(() -> super.getConnection(username, password));
	}

	/**
	 * Callers in line for a connection now. Hikari's own count of waiters cannot show
	 * them: the gate lets no more callers into the pool than it has connections.
	 */
	int waiting() {
		return this.line.getQueueLength();
	}

	/** Callers whose wait in line ended in the timeout (each answered 503). */
	long timedOut() {
		return this.timedOut.get();
	}

	private void enter() throws SQLException {
		try {
			if (!this.line.tryAcquire(this.timeoutNanos, TimeUnit.NANOSECONDS)) {
				this.timedOut.incrementAndGet();
				// no SQLSTATE: the pool is busy, the database was not found away
				// (FailFastPool.isUnavailable), as Hikari's own timeout says it
				throw new SQLTransientConnectionException("Connection is not available: all " + this.connections
						+ " in use for " + TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos) + " ms");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLTransientConnectionException("interrupted waiting for a connection", ex);
		}
	}

	private Connection admitted(ConnectionSource source) throws SQLException {
		Connection connection;
		try {
			connection = source.get();
		}
		catch (SQLException | RuntimeException ex) {
			this.line.release();
			throw ex;
		}
		return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
				new Class<?>[] { Connection.class }, new Returning(connection));
	}

	@FunctionalInterface
	private interface ConnectionSource {

		Connection get() throws SQLException;

	}

	/** The pool's connection, giving the caller's place back when it is closed, once. */
	private final class Returning implements InvocationHandler {

		private final Connection connection;

		private final AtomicBoolean returned = new AtomicBoolean();

		Returning(Connection connection) {
			this.connection = connection;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			switch (method.getName()) {
				case "equals":
					return proxy == args[0];
				case "hashCode":
					return System.identityHashCode(proxy);
				case "toString":
					return "FairConnectionGate[" + this.connection + "]";
				case "unwrap":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return proxy;
					}
					break;
				case "isWrapperFor":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return true;
					}
					break;
				default:
					break;
			}
			try {
				return method.invoke(this.connection, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			finally {
				if (method.getName().equals("close") && this.returned.compareAndSet(false, true)) {
					FairConnectionGate.this.line.release();
				}
			}
		}

	}

}
