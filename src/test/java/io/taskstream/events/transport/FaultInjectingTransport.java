package io.taskstream.events.transport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskstream.events.EventsProperties;
import io.taskstream.events.inbox.Subscriptions;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The real in-process transport with faults a test can switch on: the whole transport
 * down, or the first publishes of some tasks' events failing. Off, it only delegates.
 */
public final class FaultInjectingTransport implements EventTransport {

	private final EventTransport delegate;

	private volatile boolean down;

	private volatile boolean brokerDown;

	private final Map<Long, AtomicInteger> failuresLeftByTask = new ConcurrentHashMap<>();

	private volatile PublishResult failure = new PublishResult.Failed("injected failure");

	private final AtomicInteger publishCalls = new AtomicInteger();

	FaultInjectingTransport(EventTransport delegate) {
		this.delegate = delegate;
	}

	/** Every publish fails as if the sidecar were unreachable, until {@link #heal()}. */
	public void breakDown() {
		this.down = true;
	}

	/**
	 * Every publish fails as the sidecar answers while the broker is away (or its circuit
	 * breaker is open): each message {@link PublishResult.Unavailable}, until
	 * {@link #heal()}.
	 */
	public void breakTheBroker() {
		this.brokerDown = true;
	}

	/**
	 * Each of the task's next {@code times} messages fails once, as a broker error would.
	 */
	public void failNextPublishesOf(long taskId, int times) {
		failNextPublishesOf(taskId, times, new PublishResult.Failed("injected failure"));
	}

	/** As above, with the result a transport gives, e.g. a refusal by the setup. */
	public void failNextPublishesOf(long taskId, int times, PublishResult failure) {
		this.failure = failure;
		this.failuresLeftByTask.put(taskId, new AtomicInteger(times));
	}

	public void heal() {
		this.down = false;
		this.brokerDown = false;
		this.failuresLeftByTask.clear();
	}

	public int publishCalls() {
		return this.publishCalls.get();
	}

	@Override
	public Map<Long, PublishResult> publish(List<Message> batch) {
		this.publishCalls.incrementAndGet();
		if (this.down) {
			throw new TransportUnavailableException("injected outage", null);
		}
		Map<Long, PublishResult> results = new HashMap<>();
		if (this.brokerDown) {
			batch.forEach((message) -> results.put(message.key(),
					new PublishResult.Unavailable("the sidecar answered 500: injected broker outage")));
			return results;
		}
		List<Message> passing = batch.stream().filter((message) -> {
			AtomicInteger left = this.failuresLeftByTask.get(message.partitionKey());
			if (left != null && left.getAndDecrement() > 0) {
				results.put(message.key(), this.failure);
				return false;
			}
			return true;
		}).toList();
		results.putAll(this.delegate.publish(passing));
		return results;
	}

	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		@Primary
		FaultInjectingTransport faultInjectingTransport(Subscriptions subscriptions, EventsProperties properties) {
			return new FaultInjectingTransport(
					new InProcessTransport(subscriptions, properties.inProcess().maxAttempts()));
		}

	}

}
