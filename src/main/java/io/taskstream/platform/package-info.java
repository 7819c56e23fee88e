/**
 * What every role shares and no role owns: which roles run in this process, the caller's
 * identity, RFC 9457 problem responses, request limits, the embedded PostgreSQL of the
 * one-command mode, and per-role schema migrations.
 */
package io.taskstream.platform;
