/**
 * The {@code tasks} role: the task API ({@code /api/v1/tasks}), the tasks table, and the
 * events each change writes to the outbox in the same transaction.
 */
package io.taskstream.tasks;
