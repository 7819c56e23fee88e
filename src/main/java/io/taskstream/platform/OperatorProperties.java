package io.taskstream.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token the operator credential ({@code TASKSTREAM_OPERATOR_TOKEN}); with none
 * set, operator endpoints are closed to everyone
 */
@ConfigurationProperties("taskstream.operator")
public record OperatorProperties(String token) {
}
