package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The stack's own secrets: the dev token issuer's signing key, which every role of the
 * stack reads (so each accepts the others' tokens, as with one real issuer), and the app
 * API token the sidecars present to their apps. Made once per stack under its state
 * folder, owner-only, at run time; never committed.
 */
final class StackSecrets {

	private final Path state;

	StackSecrets(Path state) {
		this.state = state;
	}

	/** The dev issuer's RSA key (PKCS#8 PEM), made on first use. */
	Path devIssuerKey() {
		return file("dev-issuer-key.pem", StackSecrets::newRsaKey);
	}

	/** The token each sidecar sends its app as {@code dapr-api-token}. */
	String appApiToken() {
		return read(file("app-api-token", () -> UUID.randomUUID().toString()));
	}

	private synchronized Path file(String name, Supplier<String> generate) {
		Path file = this.state.resolve(name);
		try {
			if (!Files.exists(file)) {
				Files.createDirectories(this.state);
				Path written = Files.createTempFile(this.state, name, ".tmp");
				Files.writeString(written, generate.get(), StandardCharsets.UTF_8);
				Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** As {@code openssl genpkey -algorithm RSA} writes it. */
	private static String newRsaKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
			return "-----BEGIN " + "PRIVATE KEY-----\n"
					+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
					+ "\n-----END " + "PRIVATE KEY-----\n";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
