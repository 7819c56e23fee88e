package io.taskstream.tools.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks, before anything starts, that the ports the stack will listen on are free, and
 * names who holds a busy one: a half-started stack, failing on its tenth process, is
 * worse than none.
 */
final class PortCheck {

	private final Path proc;

	PortCheck() {
		this(Path.of("/proc"));
	}

	/**
	 * @param proc where Linux's process information is ({@code /proc})
	 */
	PortCheck(Path proc) {
		this.proc = proc;
	}

	/**
	 * The ports of {@code wanted} (by what they are for) that cannot be bound now, each
	 * with a line naming it and, when this machine tells, the process that holds it.
	 */
	List<String> busy(Map<String, Integer> wanted) {
		List<String> busy = new ArrayList<>();
		for (Map.Entry<String, Integer> port : wanted.entrySet()) {
			if (!canBind(port.getValue())) {
				busy.add(port.getKey() + " port " + port.getValue() + " is in use by " + holder(port.getValue()));
			}
		}
		return busy;
	}

	/**
	 * Whether a server could listen on the port on every interface now; like the stack's
	 * servers, with SO_REUSEADDR, so a connection in TIME_WAIT does not count.
	 */
	static boolean canBind(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Who holds a port: pid and command line, from the socket tables and file
	 * descriptors.
	 */
	String holder(int port) {
		Set<String> inodes = socketInodes(port);
		if (inodes.isEmpty()) {
			return "an unknown process (no socket on it in " + this.proc + "/net/tcp*)";
		}
		Optional<Long> pid = owner(inodes);
		if (pid.isEmpty()) {
			return "a process this user cannot see (socket inode " + String.join(", ", inodes) + ")";
		}
		return "pid " + pid.get() + " (" + commandLine(pid.get()) + ")";
	}

	/**
	 * The inodes of the sockets bound to the local port, listening ones first: one row
	 * per socket in {@code /proc/net/tcp} and {@code tcp6}, the local address as
	 * {@code HEXADDR:HEXPORT}, the state in the 4th column ({@code 0A} = LISTEN), the
	 * inode in the 10th.
	 */
	Set<String> socketInodes(int port) {
		String hexPort = String.format(Locale.ROOT, ":%04X", port);
		Map<String, Boolean> inodes = new LinkedHashMap<>();
		for (String table : List.of("net/tcp", "net/tcp6")) {
			Path file = this.proc.resolve(table);
			if (!Files.isReadable(file)) {
				continue;
			}
			try {
				for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
					String[] columns = line.trim().split("\\s+");
					if (columns.length > 9 && columns[1].endsWith(hexPort) && !"0".equals(columns[9])) {
						inodes.merge(columns[9], "0A".equals(columns[3]), Boolean::logicalOr);
					}
				}
			}
			catch (IOException ex) {
				// another table may still tell
			}
		}
		Set<String> ordered = new java.util.LinkedHashSet<>();
		inodes.forEach((inode, listening) -> {
			if (listening) {
				ordered.add(inode);
			}
		});
		ordered.addAll(inodes.keySet());
		return ordered;
	}

	/**
	 * The process with a file descriptor {@code socket:[inode]} for one of the inodes.
	 */
	private Optional<Long> owner(Set<String> inodes) {
		Set<String> links = new HashSet<>();
		inodes.forEach((inode) -> links.add("socket:[" + inode + "]"));
		try (Stream<Path> processes = Files.list(this.proc)) {
			for (Path process : processes.filter((p) -> p.getFileName().toString().matches("\\d+")).toList()) {
				try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
					if (fds.anyMatch((fd) -> links.contains(readLink(fd)))) {
						return Optional.of(Long.parseLong(process.getFileName().toString()));
					}
				}
				catch (IOException | SecurityException ex) {
					// another user's process, or one that just exited
				}
			}
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		return Optional.empty();
	}

	private static String readLink(Path fd) {
		try {
			return Files.readSymbolicLink(fd).toString();
		}
		catch (IOException | UnsupportedOperationException ex) {
			return "";
		}
	}

	private String commandLine(long pid) {
		try {
			String line = new String(Files.readAllBytes(this.proc.resolve(pid + "/cmdline")), StandardCharsets.UTF_8)
				.replace('\0', ' ')
				.replaceAll("\\s+", " ")
				.trim();
			return (line.length() > 160) ? line.substring(0, 160) + "…" : line;
		}
		catch (IOException ex) {
			return "command unknown";
		}
	}

}
