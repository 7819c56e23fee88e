package io.taskstream.platform;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The per-user write rate (a token bucket per user) and the open-stream limits, per user
 * and per instance, of {@link QuotaProperties}, checked on {@code /api/v1} after the
 * caller is authenticated. A stream's slot is held from the moment its handler is chosen
 * until the stream ends, however it ends. Both are per instance: behind N instances a
 * user may have N times as much, which bounds every instance's memory all the same.
 */
class Quotas implements AsyncHandlerInterceptor {

	private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

	private static final String STREAM_SLOT = Quotas.class.getName() + ".streamSlot";

	/** Buckets kept before full (idle) ones are dropped. */
	private static final int MAX_BUCKETS = 100_000;

	private final QuotaProperties quotas;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> streamsOfUser = new ConcurrentHashMap<>();

	private final AtomicInteger streams = new AtomicInteger();

	Quotas(QuotaProperties quotas) {
		this.quotas = quotas;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		if (request.getDispatcherType() != DispatcherType.REQUEST || caller == null) {
			return true;
		}
		if (WRITES.contains(request.getMethod())) {
			takeWrite(caller.getName());
		}
		if (handler instanceof HandlerMethod method
				&& SseEmitter.class.isAssignableFrom(method.getMethod().getReturnType())) {
			request.setAttribute(STREAM_SLOT, openStream(caller.getName()));
		}
		return true;
	}

	/** The stream started: its slot is freed when the async request ends. */
	@Override
	public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
			Object handler) {
		if (request.getAttribute(STREAM_SLOT) instanceof Runnable release) {
			request.getAsyncContext().addListener(new AsyncListener() {

				@Override
				public void onComplete(AsyncEvent event) {
					release.run();
				}

				@Override
				public void onTimeout(AsyncEvent event) {
					release.run();
				}

				@Override
				public void onError(AsyncEvent event) {
					release.run();
				}

				@Override
				public void onStartAsync(AsyncEvent event) {
				}

			});
		}
	}

	/** The handler answered without starting a stream (a 4xx, say): its slot is free. */
	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (request.getDispatcherType() == DispatcherType.REQUEST && !request.isAsyncStarted()
				&& request.getAttribute(STREAM_SLOT) instanceof Runnable release) {
			release.run();
		}
	}

	private void takeWrite(String user) {
		if (this.buckets.size() > MAX_BUCKETS) {
			this.buckets.values().removeIf(Bucket::isFull);
		}
		Bucket bucket = this.buckets.computeIfAbsent(user, (key) -> new Bucket(this.quotas));
		Duration wait = bucket.take();
		if (!wait.isZero()) {
			throw Problems.tooManyRequests("More than " + this.quotas.writesPerSecond() + " writes a second (bursts of "
					+ this.quotas.writeBurst() + "); try again after Retry-After seconds.", wait);
		}
	}

	/**
	 * Takes a stream slot of the user and of the instance; the result frees both, once.
	 */
	private Runnable openStream(String user) {
		AtomicInteger ofUser = this.streamsOfUser.computeIfAbsent(user, (key) -> new AtomicInteger());
		if (ofUser.incrementAndGet() > this.quotas.streamsPerUser()) {
			release(user, ofUser);
			throw Problems.tooManyRequests(
					"A user may have " + this.quotas.streamsPerUser() + " live streams open at once; close one first.",
					Duration.ofSeconds(30));
		}
		if (this.streams.incrementAndGet() > this.quotas.streamsPerInstance()) {
			this.streams.decrementAndGet();
			release(user, ofUser);
			throw Problems.tooManyRequests("This instance has as many live streams open as it serves; try again later.",
					Duration.ofSeconds(30));
		}
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) {
				this.streams.decrementAndGet();
				release(user, ofUser);
			}
		};
	}

	private void release(String user, AtomicInteger ofUser) {
		if (ofUser.decrementAndGet() <= 0) {
			this.streamsOfUser.remove(user, ofUser);
		}
	}

	int openStreams() {
		return this.streams.get();
	}

	/** A token bucket: {@code writeBurst} tokens, refilled at {@code writesPerSecond}. */
	private static final class Bucket {

		private final double capacity;

		private final double perNano;

		private double tokens;

		private long updated = System.nanoTime();

		Bucket(QuotaProperties quotas) {
			this.capacity = quotas.writeBurst();
			this.perNano = quotas.writesPerSecond() / 1e9;
			this.tokens = this.capacity;
		}

		/** Takes a token: zero if there was one, else how long until there is. */
		synchronized Duration take() {
			refill();
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return Duration.ZERO;
			}
			return Duration.ofNanos((long) Math.ceil((1 - this.tokens) / this.perNano));
		}

		synchronized boolean isFull() {
			refill();
			return this.tokens >= this.capacity;
		}

		private void refill() {
			long now = System.nanoTime();
			this.tokens = Math.min(this.capacity, this.tokens + (now - this.updated) * this.perNano);
			this.updated = now;
		}

	}

}
