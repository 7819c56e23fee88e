/**
 * The {@code audit} role: an append-only store of every task event, served to clients by
 * cursor polling ({@code /api/v1/events}), and the list of dead letters.
 */
package io.taskstream.audit;
