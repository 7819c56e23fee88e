package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The secured stack's credentials, made at its first start and kept only in its state
 * folder ({@code <state>/kafka/secrets}, owner-only): a local CA and the broker's
 * certificate (made with the JDK's keytool), one random SCRAM password per role and one
 * for the broker. Nothing here is ever written to the repository.
 */
final class KafkaSecrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path dir;

	private final Properties passwords = new Properties();

	private KafkaSecrets(Path dir) {
		this.dir = dir;
	}

	/** The secrets under {@code state}, made first when missing. */
	static KafkaSecrets in(Path state) {
		KafkaSecrets secrets = new KafkaSecrets(state.resolve("kafka/secrets"));
		secrets.loadOrCreate();
		return secrets;
	}

	/** The users that get a SCRAM credential: the broker and each role. */
	static List<String> users() {
		List<String> users = new ArrayList<>(List.of(KafkaAccess.BROKER_USER));
		KafkaAccess.MODEL.forEach((access) -> users.add(access.role()));
		return users;
	}

	String password(String user) {
		String password = this.passwords.getProperty("scram." + user);
		if (password == null) {
			throw new IllegalArgumentException("no SCRAM user " + user);
		}
		return password;
	}

	/** The password of the broker's key store and of the trust store. */
	String storePassword() {
		return this.passwords.getProperty("store");
	}

	Path keyStore() {
		return this.dir.resolve("broker.p12");
	}

	Path trustStore() {
		return this.dir.resolve("truststore.p12");
	}

	/** The CA certificate (PEM), what a client must trust. */
	Path caCertificate() {
		return this.dir.resolve("ca.pem");
	}

	/**
	 * The settings of a Java Kafka client that logs in as {@code user} over SASL_SSL,
	 * trusting the local CA.
	 */
	Map<String, Object> client(String bootstrap, String user, String password) {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("bootstrap.servers", bootstrap);
		config.put("security.protocol", "SASL_SSL");
		config.put("sasl.mechanism", "SCRAM-SHA-512");
		config.put("sasl.jaas.config", jaas(user, password));
		config.put("ssl.truststore.type", "PKCS12");
		config.put("ssl.truststore.location", trustStore().toString());
		config.put("ssl.truststore.password", storePassword());
		return config;
	}

	static String jaas(String user, String password) {
		return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
				+ password + "\";";
	}

	private void loadOrCreate() {
		Path file = this.dir.resolve("passwords.properties");
		try {
			if (Files.exists(file) && Files.exists(keyStore()) && Files.exists(trustStore())) {
				try (Reader in = Files.newBufferedReader(file)) {
					this.passwords.load(in);
				}
				return;
			}
			Files.createDirectories(this.dir);
			Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwx------"));
			this.passwords.setProperty("store", random());
			users().forEach((user) -> this.passwords.setProperty("scram." + user, random()));
			try (Writer out = Files.newBufferedWriter(file)) {
				this.passwords.store(out, "Made by the Taskstream local stack; local use only");
			}
			makeCertificates();
			try (var files = Files.list(this.dir)) {
				for (Path made : files.toList()) {
					Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rw-------"));
				}
			}
			LocalStack.progress("kafka: made a local CA, the broker certificate and " + users().size()
					+ " SCRAM passwords in " + this.dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A CA, and the broker's key signed by it for 127.0.0.1 and localhost (server and
	 * client use: the broker shows it on the client listener and, as its controller
	 * client, on the controller listener). The CA's key stays in {@code ca.p12} here.
	 */
	private void makeCertificates() throws IOException {
		String pass = storePassword();
		String ca = this.dir.resolve("ca.p12").toString();
		String broker = keyStore().toString();
		String csr = this.dir.resolve("broker.csr").toString();
		String signed = this.dir.resolve("broker.pem").toString();
		Path log = this.dir.resolve("keytool.log");
		keytool(log, "-genkeypair", "-alias", "ca", "-dname", "CN=taskstream-local-ca", "-keyalg", "RSA", "-keysize",
				"2048", "-validity", "825", "-ext", "bc:c", "-keystore", ca, "-storetype", "PKCS12", "-storepass",
				pass);
		keytool(log, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pass, "-file",
				caCertificate().toString());
		keytool(log, "-genkeypair", "-alias", "broker", "-dname", "CN=" + KafkaAccess.BROKER_USER, "-keyalg", "RSA",
				"-keysize", "2048", "-validity", "825", "-keystore", broker, "-storetype", "PKCS12", "-storepass",
				pass);
		keytool(log, "-certreq", "-alias", "broker", "-keystore", broker, "-storepass", pass, "-file", csr);
		keytool(log, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pass, "-infile", csr,
				"-outfile", signed, "-validity", "825", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext",
				"KU=digitalSignature,keyEncipherment", "-ext", "EKU=serverAuth,clientAuth");
		keytool(log, "-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate().toString(), "-keystore",
				broker, "-storepass", pass);
		keytool(log, "-importcert", "-noprompt", "-alias", "broker", "-file", signed, "-keystore", broker, "-storepass",
				pass);
		keytool(log, "-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate().toString(), "-keystore",
				trustStore().toString(), "-storetype", "PKCS12", "-storepass", pass);
		Files.delete(Path.of(csr));
	}

	private static void keytool(Path log, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(args));
		Processes.run(command, log);
	}

	private static String random() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
