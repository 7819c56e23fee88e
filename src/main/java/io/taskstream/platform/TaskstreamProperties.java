package io.taskstream.platform;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Process-wide settings.
 *
 * @param roles the roles this process runs; the one-command embedded mode runs all four
 */
@ConfigurationProperties("taskstream")
public record TaskstreamProperties(@DefaultValue( {
		"tasks", "analytics", "notifications", "audit" }) List<String> roles){

	/** The roles there are; a name outside this list is a configuration error. */
	public static final List<String> KNOWN_ROLES = List.of("tasks", "analytics", "notifications", "audit");

	public TaskstreamProperties {
		for (String role : roles) {
			if (!KNOWN_ROLES.contains(role)) {
				throw new IllegalArgumentException(
						"taskstream.roles: unknown role '" + role + "', expected some of " + KNOWN_ROLES);
			}
		}
		roles = List.copyOf(roles);
	}

}
