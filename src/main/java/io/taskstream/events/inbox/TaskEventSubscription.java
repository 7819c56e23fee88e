package io.taskstream.events.inbox;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.Outcome;
import io.taskstream.events.PoisonEventException;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.metrics.EventMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;

/**
 * A role's subscription to every task topic: reads and checks each CloudEvent, hands
 * valid ones to the role's {@link Inbox} (which runs the role's effect once and in
 * order), and answers as the Dapr contract says — {@code DROP} for poison, {@code RETRY}
 * when the effect fails, {@code SUCCESS} otherwise (duplicates and parked events
 * included).
 */
final class TaskEventSubscription implements EventSubscription {

	private static final Log log = LogFactory.getLog(TaskEventSubscription.class);

	private final String role;

	private final Inbox inbox;

	private final EventMetrics metrics;

	TaskEventSubscription(String role, Inbox inbox, EventMetrics metrics) {
		this.role = role;
		this.inbox = inbox;
		this.metrics = metrics;
	}

	@Override
	public Outcome deliver(String topic, byte[] cloudEvent) {
		if (EventType.REPLAY_TOPIC.equals(topic) && !this.role.equals(CloudEvents.replayTarget(cloudEvent))) {
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
			Inbox.Result result = this.inbox.process(event);
			if (result == Inbox.Result.IGNORED && log.isDebugEnabled()) {
				log.debug(this.role + " ignored duplicate or stale event " + event.eventId());
			}
			if (result == Inbox.Result.PARKED) {
				log.info(this.role + " parks event " + event.eventId() + " (sequence " + event.sequence() + " of task "
						+ event.taskId() + ") until the task's earlier events are in");
			}
			this.metrics.consumed(this.role, event.eventType(), switch (result) {
				case APPLIED -> "success";
				case IGNORED -> "duplicate";
				case PARKED -> "parked";
			});
			this.metrics.lag(this.role, event.timestamp());
			return Outcome.SUCCESS;
		}
		catch (RuntimeException ex) {
			log.warn(this.role + " will retry event " + event.eventId() + " on " + topic + ": " + ex, ex);
			this.metrics.consumed(this.role, event.eventType(), "retry");
			return Outcome.RETRY;
		}
	}

}
