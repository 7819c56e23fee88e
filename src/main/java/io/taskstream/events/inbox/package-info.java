/**
 * The receiving side: each subscriber role's inbox (exactly-once effect, per-task order,
 * parking) and the one entry point per role and topic that every transport calls.
 */
package io.taskstream.events.inbox;
