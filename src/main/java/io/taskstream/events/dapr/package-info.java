/**
 * The Dapr sidecar's way in: the programmatic subscriptions ({@code /dapr/subscribe}) and
 * the delivery routes of the roles this process runs.
 */
package io.taskstream.events.dapr;
