package io.taskstream.events;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;

/**
 * A role's subscription to every task topic: reads and checks each CloudEvent, hands
 * valid ones to the role's {@link TaskEventHandler}, and answers as the Dapr contract
 * says — {@code DROP} for poison, {@code RETRY} when the handler fails, {@code SUCCESS}
 * otherwise (duplicates included).
 */
public final class TaskEventSubscription implements EventSubscription {

	private static final Log log = LogFactory.getLog(TaskEventSubscription.class);

	private final String role;

	private final TaskEventHandler handler;

	private final EventMetrics metrics;

	public TaskEventSubscription(String role, TaskEventHandler handler, EventMetrics metrics) {
		this.role = role;
		this.handler = handler;
		this.metrics = metrics;
	}

	@Override
	public String role() {
		return this.role;
	}

	@Override
	public Set<String> topics() {
		Set<String> topics = new LinkedHashSet<>(EventType.topics());
		topics.add(EventType.REPLAY_TOPIC);
		return topics;
	}

	@Override
	public Outcome deliver(String topic, byte[] cloudEvent) {
		if (EventType.REPLAY_TOPIC.equals(topic)
				&& !this.role.equals(CloudEvents.attribute(cloudEvent, EventType.REPLAY_TARGET))) {
			return Outcome.SUCCESS;
		}
		TaskEvent event;
		try {
			event = CloudEvents.read(cloudEvent);
		}
		catch (PoisonEventException ex) {
			log.warn(this.role + " drops a poison event on " + topic + ": " + ex.getMessage());
			this.metrics.consumed(this.role, "unknown", "drop");
			return Outcome.DROP;
		}
		try (MDC.MDCCloseable logged = MDC.putCloseable("eventId", event.eventId().toString())) {
			boolean applied = this.handler.handle(event);
			if (!applied && log.isDebugEnabled()) {
				log.debug(this.role + " ignored duplicate or stale event " + event.eventId());
			}
			this.metrics.consumed(this.role, event.eventType(), applied ? "success" : "duplicate");
			this.metrics.lag(this.role, event.timestamp());
			return Outcome.SUCCESS;
		}
		catch (Inbox.OutOfOrderException ex) {
			log.info(this.role + " waits for an earlier event: " + ex.getMessage());
			this.metrics.consumed(this.role, event.eventType(), "retry");
			return Outcome.RETRY;
		}
		catch (RuntimeException ex) {
			log.warn(this.role + " will retry event " + event.eventId() + " on " + topic + ": " + ex, ex);
			this.metrics.consumed(this.role, event.eventType(), "retry");
			return Outcome.RETRY;
		}
	}

}
