/**
 * The outbox: how the {@code tasks} role's events are written with their change and then
 * published in each task's order, by one relay per database.
 */
package io.taskstream.events.outbox;
