package io.taskstream.tasks;

/**
 * Where a change came from, carried into its event's metadata and trace.
 *
 * @param source {@code web}, {@code cli} or {@code api} ({@code X-Client-Source})
 * @param deviceId the client's device, if it said ({@code X-Device-Id})
 * @param traceparent the request's W3C trace context, if any
 */
record Origin(String source, String deviceId, String traceparent) {
}
