/**
 * What every role shares and no role owns: which roles run in this process, who the
 * caller is (bearer JWTs verified by Spring Security's resource server, operators by
 * scope or role, the dev issuer of the one-command mode) and what the Dapr sidecar alone
 * may call, quotas, RFC 9457 problem responses, request limits, the embedded PostgreSQL
 * of the one-command mode, and per-role schema migrations.
 */
package io.taskstream.platform;
