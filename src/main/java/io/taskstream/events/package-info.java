/**
 * The event contract and how events move: the v1 envelope ({@link TaskEvent}), the
 * transactional {@link Outbox} and its relay, the transports (in-process for the embedded
 * mode, the Dapr sidecar's pub/sub API otherwise), and the one entry point every
 * subscriber role is called through ({@link EventSubscription}), with its SUCCESS / RETRY
 * / DROP answers.
 */
package io.taskstream.events;
