package io.taskstream.platform;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param heartbeat how often an idle Server-Sent Events stream gets a comment, so proxies
 * do not close it
 * @param pageSize the most items a stream reads from the database at once, and so holds
 * in memory: its catch-up and live items are read and sent a page at a time
 * @param writeTimeout a stream whose client takes longer than this to take one event is
 * closed with a reconnect hint (it resumes with Last-Event-ID); a write that never
 * returns is ended by server.tomcat.connection-timeout
 * @param reconnectDelay the reconnect delay a stream asks of its client (the SSE
 * {@code retry:} field), sent first and with the comment that closes a stream
 * @param shutdownWait how long a stopping instance waits for its streams to end, after
 * telling each client to reconnect, before the web server's graceful shutdown
 * @param writers the most threads writing to streams at once, all streams of the hub
 * together: an idle stream holds no thread, a writing one holds a writer until its write
 * returns, so this many clients that stop reading at once delay the others' events until
 * their writes time out ({@code server.tomcat.connection-timeout})
 * @param readers the most stream reads from the database at once, all streams of the hub
 * together: a bulkhead, so that the streams never hold more than this many of the pool's
 * connections and the role's deliveries and API calls always find one. Without it, a
 * burst of new streams (10,000 clients reconnecting) put every writer in the pool's line
 * at once, ahead of the deliveries: in {@code scripts/chaos sse-10k} the notifications
 * subscriber fell 40 s behind while the streams opened
 */
@ConfigurationProperties("taskstream.sse")
@Validated
public record SseProperties(@DefaultValue("15s") Duration heartbeat,
		@DefaultValue("100") @Min(1) @Max(1000) int pageSize, @DefaultValue("10s") Duration writeTimeout,
		@DefaultValue("2s") Duration reconnectDelay, @DefaultValue("3s") Duration shutdownWait,
		@DefaultValue("32") @Min(1) @Max(1000) int writers, @DefaultValue("4") @Min(1) @Max(1000) int readers) {
}
