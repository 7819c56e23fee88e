package io.taskstream.events.inbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.Outcome;
import io.taskstream.events.PoisonEventException;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.metrics.EventMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

/**
 * A role's subscription to every task topic: reads and checks each CloudEvent, hands
 * valid ones to the role's {@link Inbox} (which runs the role's effect once and in
 * order), and answers as the Dapr contract says — {@code DROP} for poison, {@code RETRY}
 * when the effect fails, {@code SUCCESS} otherwise (duplicates and parked events
 * included). A batch gets one answer per event: its poison entries are dropped alone, and
 * the rest go to the inbox in one transaction.
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
			return poison(topic, ex);
		}
		Inbox.Processed processed;
		try (MDC.MDCCloseable logged = MDC.putCloseable("eventId", event.eventId().toString())) {
			processed = Inbox.Processed.of(this.inbox.process(event));
		}
		catch (RuntimeException ex) {
			processed = Inbox.Processed.failed(ex);
		}
		return answer(topic, event, processed);
	}

	@Override
	public List<Outcome> deliverAll(String topic, List<JsonNode> cloudEvents, EntryTracing tracing) {
		Outcome[] outcomes = new Outcome[cloudEvents.size()];
		List<TaskEvent> events = new ArrayList<>(cloudEvents.size());
		List<Integer> positions = new ArrayList<>(cloudEvents.size());
		for (int i = 0; i < cloudEvents.size(); i++) {
			JsonNode cloudEvent = cloudEvents.get(i);
			if (EventType.REPLAY_TOPIC.equals(topic) && !this.role.equals(CloudEvents.replayTarget(cloudEvent))) {
				outcomes[i] = Outcome.SUCCESS;
				continue;
			}
			try {
				events.add(CloudEvents.read(cloudEvent));
				positions.add(i);
			}
			catch (PoisonEventException ex) {
				outcomes[i] = poison(topic, ex);
			}
		}
		List<Inbox.Processed> processed = this.inbox.processAll(events, (index, work) -> {
			try (MDC.MDCCloseable logged = MDC.putCloseable("eventId", events.get(index).eventId().toString())) {
				return tracing.within(topic, cloudEvents.get(positions.get(index)), work);
			}
		});
		for (int k = 0; k < events.size(); k++) {
			outcomes[positions.get(k)] = answer(topic, events.get(k), processed.get(k));
		}
		return Arrays.asList(outcomes);
	}

	private Outcome poison(String topic, PoisonEventException ex) {
		log.warn(this.role + " drops a poison event on " + topic + ": " + ex.getMessage());
		this.metrics.consumed(this.role, "unknown", "drop");
		return Outcome.DROP;
	}

	private Outcome answer(String topic, TaskEvent event, Inbox.Processed processed) {
		try (MDC.MDCCloseable logged = MDC.putCloseable("eventId", event.eventId().toString())) {
			if (processed.failure() != null) {
				log.warn(this.role + " will retry event " + event.eventId() + " on " + topic + ": "
						+ processed.failure(), processed.failure());
				this.metrics.consumed(this.role, event.eventType(), "retry");
				return Outcome.RETRY;
			}
			Inbox.Result result = processed.result();
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
	}

}
