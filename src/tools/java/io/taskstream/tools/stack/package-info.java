/**
 * The local stack: every real part of Taskstream as a process on loopback — PostgreSQL, a
 * Kafka broker (KRaft), Zipkin, and the four roles each with its own daprd sidecar.
 * {@code scripts/stack}, the benchmark and the {@code *E2ETests} all drive it through
 * {@link io.taskstream.tools.stack.LocalStack}; one class per part or concern behind it
 * (ports, port check, processes, Kafka, Dapr resources, daprd, role environment).
 */
package io.taskstream.tools.stack;
