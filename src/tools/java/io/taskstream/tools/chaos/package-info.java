/**
 * The reliability scenarios behind {@code scripts/chaos} (issue 18): each starts a local
 * stack of its own ({@link io.taskstream.tools.stack.StackPorts#forChaos()}), runs load
 * from several users through the real API, injects one fault and ends with a verdict
 * computed from the data ({@link Verdict}). Scenarios are registered in one list,
 * {@link Scenarios#ALL}.
 */
package io.taskstream.tools.chaos;
