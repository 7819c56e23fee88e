/**
 * The {@code notifications} role: a notification for each task event worth telling its
 * owner (completed, deleted, due date changed, created on a device), the last 1,000 per
 * user ({@code /api/v1/notifications}).
 */
package io.taskstream.notifications;
