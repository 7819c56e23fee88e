package io.taskstream.platform;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param heartbeat how often an idle Server-Sent Events stream gets a comment, so proxies
 * do not close it
 */
@ConfigurationProperties("taskstream.sse")
public record SseProperties(@DefaultValue("15s") Duration heartbeat) {
}
