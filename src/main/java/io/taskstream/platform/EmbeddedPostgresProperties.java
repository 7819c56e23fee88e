package io.taskstream.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The PostgreSQL that starts in-process when no {@code spring.datasource.url} is set.
 *
 * @param dataDirectory where its data lives between runs
 * @param port its port; 0 picks a free one
 * @param clean whether to wipe the data directory at start (tests)
 */
@ConfigurationProperties("taskstream.embedded-postgres")
public record EmbeddedPostgresProperties(@DefaultValue("data/postgres") Path dataDirectory, @DefaultValue("0") int port,
		@DefaultValue("false") boolean clean) {
}
