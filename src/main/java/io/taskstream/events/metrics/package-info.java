/** The event pipeline's metrics, shared by the outbox, the inboxes and the transports. */
package io.taskstream.events.metrics;
