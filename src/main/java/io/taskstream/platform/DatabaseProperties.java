package io.taskstream.platform;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param statementTimeout the longest any one SQL statement may run, on every pooled
 * session ({@code statement_timeout}): a query a client can shape (a long date range, a
 * slow plan) gives a 503 instead of holding a connection for ever. Background work runs
 * in small batches well inside it; migrations are exempt ({@link RoleSchemas}).
 */
@ConfigurationProperties("taskstream.database")
record DatabaseProperties(@DefaultValue("5s") Duration statementTimeout) {
}
