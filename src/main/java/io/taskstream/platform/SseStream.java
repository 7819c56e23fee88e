package io.taskstream.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's stream of an {@link SseHub}: its cursor, its queue and its writer.
 * <p>
 * The database is the queue's source: the stream reads the next page after the last id it
 * wrote only once the page before is written, so however large the backlog and however
 * slowly the client reads, it holds at most one page ({@link SseProperties#pageSize()}
 * items, fewer if its reader caps a page's bytes). A client that falls behind costs the
 * database cursor, never memory, and loses nothing: {@code Last-Event-ID} resumes it.
 * <p>
 * Its writes run on the hub's writer pool, one run at a time per stream, never on the
 * writers' transactions or another stream's thread: a client that stops reading blocks
 * only its own write, so no other client waits for it. A write that takes longer than
 * {@link SseProperties#writeTimeout()} closes the stream with a reconnect hint once it
 * returns; one that never returns is ended by the server's own write timeout
 * ({@code server.tomcat.connection-timeout}), the only thing that can abort a blocking
 * servlet write.
 */
final class SseStream<T> {

	private static final Log log = LogFactory.getLog(SseStream.class);

	private final Sink sink;

	private final SseHub.Items<T> items;

	private final ToLongFunction<T> id;

	private final String eventName;

	private final SseProperties settings;

	private final Executor writers;

	/** Whether a run is scheduled or running: at most one at a time. */
	private final AtomicBoolean running = new AtomicBoolean();

	/** Completed once the stream has ended, however it ended. */
	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	/** Something may be new since the last read: a wake during a run is not lost. */
	private volatile boolean dirty = true;

	/**
	 * Spring has handed the emitter its response: sends before that would pile up in the
	 * emitter's unbounded early-send list.
	 */
	private volatile boolean started;

	private volatile boolean heartbeatDue;

	/** Why the hub ends the stream (shutdown), told to the client as a last comment. */
	private volatile String closing;

	private volatile long lastSent;

	/** Items read but not yet written: the stream's queue, at most one page. */
	private volatile int queued;

	SseStream(Sink sink, long lastSent, SseHub.Items<T> items, ToLongFunction<T> id, String eventName,
			SseProperties settings, Executor writers) {
		this.sink = sink;
		this.lastSent = lastSent;
		this.items = items;
		this.id = id;
		this.eventName = eventName;
		this.settings = settings;
		this.writers = writers;
	}

	/** The response is ready for writes: catch up, then follow. */
	void start() {
		this.started = true;
		schedule();
	}

	/** Something of the user's may be new. */
	void wake() {
		this.dirty = true;
		schedule();
	}

	void heartbeat() {
		this.heartbeatDue = true;
		schedule();
	}

	/** Ends the stream with a last comment saying why and when to reconnect. */
	void close(String why) {
		this.closing = why;
		if (this.started) {
			schedule();
		}
		else {
			end();
		}
	}

	/** The container ended the request (completion, timeout, error) or the stream did. */
	void ended() {
		this.ended.complete(null);
	}

	CompletableFuture<Void> whenEnded() {
		return this.ended;
	}

	int queued() {
		return this.queued;
	}

	long lastSent() {
		return this.lastSent;
	}

	private void schedule() {
		if (this.started && !this.ended.isDone() && this.running.compareAndSet(false, true)) {
			try {
				this.writers.execute(this::run);
			}
			catch (RuntimeException ex) {
				// the pool is shut down: the hub is closing
				this.running.set(false);
			}
		}
	}

	private void run() {
		try {
			if (this.closing != null) {
				goodbye(this.closing);
				return;
			}
			if (this.heartbeatDue) {
				this.heartbeatDue = false;
				write(SseEmitter.event().comment("heartbeat"));
			}
			while (this.dirty && this.closing == null && !this.ended.isDone()) {
				this.dirty = false;
				sendNew();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client went away: the container reports it to the emitter itself
			log.debug("Server-Sent Events stream '" + this.eventName + "' lost its client: " + ex);
			end();
		}
		catch (RuntimeException ex) {
			if (FailFastPool.isUnavailable(ex)) {
				// the database is away (a restart): the stream stays open, its heartbeats
				// go
				// on, and the next heartbeat's run reads again from the same id, so a
				// client
				// loses nothing and need not reconnect (a browser's EventSource gives up
				// on a 503 to its reconnect)
				this.dirty = true;
				log.debug("Server-Sent Events stream '" + this.eventName + "' waits for the database: " + ex);
				return;
			}
			log.warn("Server-Sent Events stream '" + this.eventName + "' could not read its items: " + ex);
			goodbye("closing: the server could not read the stream's items; reconnect with Last-Event-ID");
		}
		finally {
			this.queued = 0;
			this.running.set(false);
		}
		if (!this.ended.isDone() && (this.dirty || this.heartbeatDue || this.closing != null)) {
			// asked for while this run was ending
			schedule();
		}
	}

	/** Page by page until a read finds nothing: one page in memory at a time. */
	private void sendNew() throws IOException {
		while (this.closing == null) {
			Deque<T> page = new ArrayDeque<>(this.items.after(this.lastSent, this.settings.pageSize()));
			if (page.isEmpty()) {
				return;
			}
			this.queued = page.size();
			while (!page.isEmpty()) {
				T item = page.poll();
				long itemId = this.id.applyAsLong(item);
				long began = System.nanoTime();
				write(SseEmitter.event()
					.id(Long.toString(itemId))
					.name(this.eventName)
					.data(item, MediaType.APPLICATION_JSON));
				this.lastSent = itemId;
				this.queued = page.size();
				Duration took = Duration.ofNanos(System.nanoTime() - began);
				if (took.compareTo(this.settings.writeTimeout()) > 0) {
					goodbye("closing: this client read too slowly (a write took " + took.toMillis()
							+ " ms); reconnect with Last-Event-ID " + this.lastSent + " to resume");
					return;
				}
			}
		}
	}

	private void write(SseEmitter.SseEventBuilder event) throws IOException {
		this.sink.send(event);
	}

	/** The last frame: why, and how soon to come back ({@code retry:}); then the end. */
	private void goodbye(String why) {
		try {
			write(SseEmitter.event().reconnectTime(this.settings.reconnectDelay().toMillis()).comment(why));
		}
		catch (IOException | IllegalStateException ex) {
			// the client went away first
			log.debug("Server-Sent Events stream '" + this.eventName + "' lost its client: " + ex);
		}
		end();
	}

	/**
	 * Completes the response, then marks the stream ended. Never with an error, even
	 * after a failed write: the container reports a client gone to the emitter on its
	 * own, and an error completion would dispatch the write's exception to the exception
	 * handlers, which cannot answer on a committed stream (an "unexpected error" logged
	 * for every client that leaves). The container may also have ended the request
	 * already: a client that went away makes Tomcat run its error handling on a container
	 * thread while a writer here is between frames, and completing then throws
	 * {@link IllegalStateException} ("after an error had occurred"). Nothing is left to
	 * end then, and the exception must not escape: it would end the writer's thread
	 * before the stream is marked ended.
	 */
	private void end() {
		try {
			this.sink.complete();
		}
		catch (IllegalStateException ex) {
			log.debug("Server-Sent Events stream '" + this.eventName + "' was already ended by the container: " + ex);
		}
		finally {
			ended();
		}
	}

	/** Where a stream's frames go: its emitter (a test may watch them instead). */
	interface Sink {

		void send(SseEmitter.SseEventBuilder event) throws IOException;

		void complete();

		static Sink of(SseEmitter emitter) {
			return new Sink() {

				@Override
				public void send(SseEmitter.SseEventBuilder event) throws IOException {
					emitter.send(event);
				}

				@Override
				public void complete() {
					emitter.complete();
				}

			};
		}

	}

}
