/**
 * The {@code analytics} role: per user and per UTC day counts of tasks created,
 * completed, deleted and reopened, open tasks, and completion durations, built from task
 * events only ({@code /api/v1/analytics}).
 */
package io.taskstream.analytics;
