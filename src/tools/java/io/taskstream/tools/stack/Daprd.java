package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Finds (or builds, once) the daprd binary through {@code scripts/build-daprd}. */
final class Daprd {

	private static Path cached;

	private Daprd() {
	}

	static synchronized Path path(Path repo) {
		if (cached == null) {
			try {
				Process process = new ProcessBuilder(repo.resolve("scripts/build-daprd").toString(), "--print-path")
					.redirectError(ProcessBuilder.Redirect.INHERIT)
					.start();
				String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
				if (process.waitFor() != 0 || out.isEmpty()) {
					throw new IllegalStateException("scripts/build-daprd failed; see its output above");
				}
				cached = Path.of(out);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return cached;
	}

}
