/**
 * The local stack: every real part of Taskstream as a process on loopback — PostgreSQL, a
 * Kafka broker (KRaft), Zipkin, and the four roles each with its own daprd sidecar.
 * {@code scripts/stack} and the {@code *E2ETests} both drive it through
 * {@link io.taskstream.tools.stack.LocalStack}.
 */
package io.taskstream.tools.stack;
