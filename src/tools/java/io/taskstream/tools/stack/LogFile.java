package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a part's log, from where the current run began. */
final class LogFile {

	private LogFile() {
	}

	/**
	 * The last {@code lines} lines written at or after byte {@code from}: what the
	 * current run logged, not an earlier run's tail.
	 */
	static String tail(Path file, long from, int lines) {
		try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
			long start = Math.min(Math.max(0, from), in.length());
			byte[] bytes = new byte[(int) Math.min(in.length() - start, 4 * 1024 * 1024)];
			in.seek(in.length() - bytes.length);
			in.readFully(bytes);
			List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1));
			if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
				all = all.subList(0, all.size() - 1);
			}
			if (all.isEmpty()) {
				return "(nothing logged in this run)";
			}
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
