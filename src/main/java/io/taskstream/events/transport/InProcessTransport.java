package io.taskstream.events.transport;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskstream.events.EventType;
import io.taskstream.events.Outcome;
import io.taskstream.events.inbox.Subscriptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The embedded mode's transport: calls each subscription of the topic in this process,
 * through the same entry point a Dapr sidecar calls. Delivery is synchronous, so a
 * message counts as published only when every subscriber has taken it: a {@code RETRY}
 * leaves it in the outbox to be delivered again (subscribers that already took it ignore
 * the duplicate), and nothing is lost if the process stops. A {@code DROP}, or retries
 * beyond {@code maxAttempts}, sends it to the dead-letter subscriptions, as a sidecar
 * would.
 */
final class InProcessTransport implements EventTransport {

	private static final Log log = LogFactory.getLog(InProcessTransport.class);

	private final Subscriptions subscriptions;

	private final int maxAttempts;

	InProcessTransport(Subscriptions subscriptions, int maxAttempts) {
		this.subscriptions = subscriptions;
		this.maxAttempts = maxAttempts;
	}

	@Override
	public Map<Long, PublishResult> publish(List<Message> batch) {
		Map<Long, PublishResult> results = new LinkedHashMap<>();
		for (Message message : batch) {
			results.put(message.key(), PublishResult.PUBLISHED);
			byte[] body = message.cloudEvent().getBytes(StandardCharsets.UTF_8);
			for (Subscriptions.Route route : this.subscriptions.routes()) {
				if (!route.topic().equals(message.topic())) {
					continue;
				}
				Outcome outcome = this.subscriptions.deliver(route.role(), route.topic(), body);
				if (outcome == Outcome.RETRY && message.failedBefore() + 1 >= this.maxAttempts) {
					log.warn(route.role() + " still fails a " + message.topic() + " event of task "
							+ message.partitionKey() + " after " + this.maxAttempts + " attempts; dead-lettering it");
					outcome = Outcome.DROP;
				}
				if (outcome == Outcome.RETRY) {
					results.put(message.key(), new PublishResult.Failed(route.role() + " asked to retry"));
				}
				else if (outcome == Outcome.DROP) {
					deadLetter(body);
				}
			}
		}
		return results;
	}

	private void deadLetter(byte[] body) {
		for (Subscriptions.Route route : this.subscriptions.routes()) {
			if (route.topic().equals(EventType.DEAD_LETTER_TOPIC)) {
				this.subscriptions.deliver(route.role(), EventType.DEAD_LETTER_TOPIC, body);
			}
		}
	}

}
