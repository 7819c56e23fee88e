/**
 * The benchmark behind {@code scripts/bench}: raw Kafka, Dapr publish and the full
 * pipeline measured side by side on one machine, on a local stack of its own
 * ({@link io.taskstream.tools.stack.StackPorts#forBench()}). The pure parts (percentiles,
 * the open-loop pacer, the report writers, the targets) have unit tests beside them.
 */
package io.taskstream.tools.bench;
