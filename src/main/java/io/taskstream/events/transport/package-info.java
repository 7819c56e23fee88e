/**
 * How messages reach the subscribers: the Dapr sidecar's pub/sub API, or, in the one-JVM
 * embedded mode, a direct call of each subscription; and the operator's publisher over
 * either.
 */
package io.taskstream.events.transport;
