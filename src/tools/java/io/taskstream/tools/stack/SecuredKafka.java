package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secured broker's side of a stack ({@code up --secure}): its credentials, made once
 * in the state folder (which is then marked, so it stays secured), and the resources
 * folder of each role's sidecar, whose secret store holds that role's login, or the one a
 * test gave it instead.
 */
final class SecuredKafka {

	/** Marks a state folder whose broker is secured. */
	private static final String MARKER = "secured";

	private final Path state;

	private final DaprResources dapr;

	/** The broker's credentials, read or made on first use. */
	private KafkaSecrets secrets;

	/** Logins a test gave a role's sidecar instead of its own: role to user, password. */
	private final Map<String, String[]> logins = new LinkedHashMap<>();

	SecuredKafka(Path state, DaprResources dapr) {
		this.state = state;
		this.dapr = dapr;
	}

	static boolean markedIn(Path state) {
		return Files.exists(state.resolve(MARKER));
	}

	synchronized KafkaSecrets secrets() {
		if (this.secrets == null) {
			try {
				Files.createDirectories(this.state);
				Files.writeString(this.state.resolve(MARKER),
						"Kafka runs secured in this stack (scripts/stack up --secure)\n");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.secrets = KafkaSecrets.in(this.state);
		}
		return this.secrets;
	}

	/** Its state is about to be wiped: the next start makes new credentials. */
	synchronized void forget() {
		this.secrets = null;
	}

	/** The SCRAM password of a role (or of {@code kafka-broker}). */
	String password(String user) {
		return secrets().password(user);
	}

	synchronized void useLogin(String role, String user, String password) {
		if (user == null) {
			this.logins.remove(role);
		}
		else {
			this.logins.put(role, new String[] { user, password });
		}
	}

	/** The role's own resources folder, its secret store holding its login and the CA. */
	synchronized Path resources(String role) {
		String[] login = this.logins.getOrDefault(role, new String[] { role, secrets().password(role) });
		try {
			return this.dapr.securedResources(role, Map.of("kafka-username", login[0], "kafka-password", login[1],
					"kafka-ca-cert", Files.readString(secrets().caCertificate())));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
