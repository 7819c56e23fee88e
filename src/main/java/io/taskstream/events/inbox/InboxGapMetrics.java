package io.taskstream.events.inbox;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Gauges of each inbox's ordering gaps, tagged by role and read from its
 * {@code parked_events} at each scrape:
 * <ul>
 * <li>{@code taskstream_inbox_parked_events}: events waiting for a predecessor;</li>
 * <li>{@code taskstream_inbox_oldest_gap_seconds}: how long the oldest has waited;</li>
 * <li>{@code taskstream_inbox_overdue_gaps}: tasks that have waited
 * {@code taskstream.events.gap-alert-after} or longer (the alert's input, so that the
 * threshold has one source).</li>
 * </ul>
 * Registered once every singleton exists, since the roles make their inboxes while their
 * subscriptions are created.
 */
@Component
class InboxGapMetrics implements SmartInitializingSingleton {

	private final MeterRegistry registry;

	private final Inboxes inboxes;

	private final InboxGaps gaps;

	InboxGapMetrics(MeterRegistry registry, Inboxes inboxes, InboxGaps gaps) {
		this.registry = registry;
		this.inboxes = inboxes;
		this.gaps = gaps;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.inboxes.all().forEach((inbox) -> register(this.registry, inbox, this.gaps));
	}

	static void register(MeterRegistry registry, Inbox inbox, InboxGaps gaps) {
		gauge(registry, inbox, gaps, "taskstream.inbox.parked", "events", "Events parked for a missing predecessor",
				InboxGaps.Stats::parked);
		gauge(registry, inbox, gaps, "taskstream.inbox.oldest.gap", "seconds",
				"How long the oldest parked event has waited", InboxGaps.Stats::oldestSeconds);
		gauge(registry, inbox, gaps, "taskstream.inbox.overdue", "gaps",
				"Tasks whose parked events have waited the gap alert threshold", InboxGaps.Stats::overdue);
	}

	private static void gauge(MeterRegistry registry, Inbox inbox, InboxGaps gaps, String name, String unit,
			String description, ToDoubleFunction<InboxGaps.Stats> value) {
		Gauge.builder(name, () -> value.applyAsDouble(gaps.stats(inbox)))
			.description(description)
			.baseUnit(unit)
			.tag("role", inbox.schema())
			.register(registry);
	}

}
