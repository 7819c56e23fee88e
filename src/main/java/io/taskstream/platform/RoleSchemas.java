package io.taskstream.platform;

import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * The schemas of the roles this process runs, each migrated by Flyway from
 * {@code db/migration/<role>} into a PostgreSQL schema of the role's name, with its own
 * history table. Every role's configuration is {@code @DependsOn(RoleSchemas.BEAN)}, so
 * none of its beans is created before its tables exist.
 *
 * @param migrated the roles whose schema is up to date
 */
public record RoleSchemas(List<String> migrated) {

	/** The bean's name, for {@code @DependsOn}. */
	public static final String BEAN = "roleSchemas";

	static RoleSchemas migrate(DataSource dataSource, List<String> roles) {
		for (String role : roles) {
			Flyway.configure()
				.dataSource(dataSource)
				.schemas(role)
				.createSchemas(true)
				.locations("classpath:db/migration/" + role)
				// a migration may rewrite a large table: not bounded like a request
				.initSql("SET statement_timeout = 0")
				.load()
				.migrate();
		}
		StatementTimeout.renewConnections(dataSource);
		return new RoleSchemas(List.copyOf(roles));
	}

}
