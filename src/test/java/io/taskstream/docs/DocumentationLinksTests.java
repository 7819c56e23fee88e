package io.taskstream.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in the README and the docs leads to a file or folder that exists,
 * so a file that moves (as whole packages did) cannot leave the "where is X" tables
 * pointing at nothing.
 */
class DocumentationLinksTests {

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	@Test
	void everyRelativeLinkLeadsToAFileThatExists() {
		List<String> broken = new ArrayList<>();
		for (Path page : pages()) {
			Matcher link = LINK.matcher(read(page));
			while (link.find()) {
				String target = link.group(1).replaceAll("#.*$", "");
				if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
					continue;
				}
				if (!Files.exists(page.toAbsolutePath().getParent().resolve(target).normalize())) {
					broken.add(page + " -> " + link.group(1));
				}
			}
		}
		assertThat(broken).isEmpty();
	}

	@Test
	void aMissingTargetIsFound() throws IOException {
		Path page = Files.createTempFile("links", ".md");
		Files.writeString(page, "see [here](no-such-file.md) and [there](https://example.com)");
		Matcher link = LINK.matcher(read(page));
		assertThat(link.find()).isTrue();
		assertThat(Files.exists(page.getParent().resolve(link.group(1)))).isFalse();
		assertThat(link.find()).isTrue();
		assertThat(link.group(1)).startsWith("https:");
	}

	private static List<Path> pages() {
		List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("bench/README.md")));
		for (String folder : List.of("docs", "examples")) {
			if (Files.isDirectory(Path.of(folder))) {
				try (Stream<Path> files = Files.walk(Path.of(folder))) {
					files.filter((file) -> file.toString().endsWith(".md"))
						.filter((file) -> !file.toString().contains("node_modules"))
						.forEach(pages::add);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		}
		return pages;
	}

	private static String read(Path page) {
		try {
			return Files.readString(page);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
