/**
 * The event contract, which every role builds on: the v1 envelope ({@link TaskEvent}) and
 * its CloudEvent mapping ({@link CloudEvents}), the event types and topics, what the
 * {@code tasks} role writes events to ({@link Outbox}) and what operator actions publish
 * through ({@link EventPublisher}), and what a subscriber role answers. How events move
 * (the outbox relay, the transports, the inboxes, the Dapr endpoints) is internal, in the
 * sub-packages.
 */
package io.taskstream.events;
