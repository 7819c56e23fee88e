package io.taskstream.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CPU time and peak resident memory of the stack's processes, from {@code /proc}. A
 * process is one pid, or a pid with its descendants where named so (PostgreSQL: the
 * postmaster and its backends). CPU is user + system time; the peak is {@code VmHWM},
 * which {@link #resetPeaks} sets back to the current size (writing 5 to
 * {@code clear_refs}), so each scenario gets its own peak.
 */
final class ProcessUsage {

	/** One process's use over a scenario. */
	/**
	 * @param jitSeconds of {@code cpuSeconds}, what a JVM's JIT compiler threads used
	 */
	record Usage(double cpuSeconds, double peakRssMb, double jitSeconds) {

		Usage(double cpuSeconds, double peakRssMb) {
			this(cpuSeconds, peakRssMb, 0);
		}

	}

	private static final double TICKS_PER_SECOND = clockTicks();

	private final Map<String, Long> pids;

	private final Set<String> families;

	private Map<String, Double> cpuAtStart = Map.of();

	private Map<String, Double> jitAtStart = Map.of();

	private double machineAtStart;

	/** The name under which {@link #stop} reports the CPU of every other process. */
	static final String OTHERS = "others";

	/**
	 * @param pids the processes by name
	 * @param families the names whose descendants count too (not a launcher's: the
	 * processes it launched are counted on their own)
	 */
	ProcessUsage(Map<String, Long> pids, Set<String> families) {
		this.pids = new LinkedHashMap<>(pids);
		this.families = Set.copyOf(families);
	}

	/** Starts a scenario: remembers each process's CPU time and resets its peak. */
	void start() {
		Map<String, Double> cpu = new LinkedHashMap<>();
		Map<String, Double> jit = new LinkedHashMap<>();
		this.pids.forEach((name, pid) -> {
			cpu.put(name, cpuSeconds(members(name, pid)));
			jit.put(name, jitSeconds(pid));
			members(name, pid).forEach(ProcessUsage::resetPeak);
		});
		this.cpuAtStart = cpu;
		this.jitAtStart = jit;
		this.machineAtStart = machineBusySeconds();
	}

	/** Ends a scenario: each process's CPU seconds since {@link #start} and its peak. */
	Map<String, Usage> stop() {
		Map<String, Usage> usage = new LinkedHashMap<>();
		double ours = 0;
		for (Map.Entry<String, Long> process : this.pids.entrySet()) {
			List<Long> members = members(process.getKey(), process.getValue());
			double cpu = cpuSeconds(members) - this.cpuAtStart.getOrDefault(process.getKey(), 0.0);
			ours += cpu;
			double jit = jitSeconds(process.getValue()) - this.jitAtStart.getOrDefault(process.getKey(), 0.0);
			usage.put(process.getKey(), new Usage(round(cpu), round(peakMb(members)), round(Math.max(0, jit))));
		}
		double machine = machineBusySeconds() - this.machineAtStart;
		if (machine > 0) {
			usage.put(OTHERS, new Usage(round(Math.max(0, machine - ours)), 0));
		}
		return usage;
	}

	/** CPU seconds used so far by the processes except those named. */
	double cpuSecondsExcept(String... names) {
		Set<String> excluded = Set.of(names);
		double total = 0;
		for (Map.Entry<String, Long> process : this.pids.entrySet()) {
			if (!excluded.contains(process.getKey())) {
				total += cpuSeconds(members(process.getKey(), process.getValue()));
			}
		}
		return total;
	}

	/** Follows a process that was restarted (a sidecar stopped and started again). */
	void replace(String name, long pid) {
		this.pids.put(name, pid);
		resetPeak(pid);
		this.cpuAtStart = new LinkedHashMap<>(this.cpuAtStart);
		this.cpuAtStart.put(name, cpuSeconds(members(name, pid)));
	}

	private List<Long> members(String name, long pid) {
		List<Long> all = new ArrayList<>();
		all.add(pid);
		if (this.families.contains(name)) {
			ProcessHandle.of(pid).ifPresent((handle) -> handle.descendants().forEach((child) -> all.add(child.pid())));
		}
		return all;
	}

	/** User + system CPU of processes (those that ended since are not counted). */
	static double cpuSeconds(List<Long> pids) {
		double total = 0;
		for (long member : pids) {
			total += stat(member).map(ProcessUsage::cpuTicks).orElse(0L) / TICKS_PER_SECOND;
		}
		return total;
	}

	/**
	 * The largest peak among processes (summing would count PostgreSQL's shared buffers
	 * once per backend).
	 */
	static double peakMb(List<Long> pids) {
		double peak = 0;
		for (long member : pids) {
			peak = Math.max(peak, statusKb(member, "VmHWM:") / 1024.0);
		}
		return peak;
	}

	/** The machine's busy CPU time (all but idle and iowait), from /proc/stat. */
	static double machineBusySeconds() {
		return read(Path.of("/proc/stat")).map(ProcessUsage::busyTicks).orElse(0L) / TICKS_PER_SECOND;
	}

	/** The first ("cpu") line of /proc/stat: user, nice, system, irq and softirq. */
	static long busyTicks(String procStat) {
		String[] fields = procStat.substring(0, procStat.indexOf('\n')).trim().split("\\s+");
		long busy = 0;
		for (int i = 1; i < Math.min(fields.length, 8); i++) {
			if (i != 4 && i != 5) {
				busy += Long.parseLong(fields[i]);
			}
		}
		return busy;
	}

	/**
	 * CPU of a JVM's JIT compiler threads ({@code C1 CompilerThre},
	 * {@code C2 CompilerThre} in /proc/pid/task/tid/stat); 0 for other processes.
	 * Compiler threads that ended since (the JVM adds and retires them with the load) are
	 * not counted.
	 */
	static double jitSeconds(long pid) {
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		long ticks = 0;
		try (java.util.stream.Stream<Path> threads = Files.list(tasks)) {
			for (Path thread : threads.toList()) {
				String stat = read(thread.resolve("stat")).orElse("");
				int open = stat.indexOf('(');
				if (open >= 0 && stat.startsWith("C", open + 1) && stat.contains("CompilerThre")) {
					ticks += cpuTicks(stat);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
		return ticks / TICKS_PER_SECOND;
	}

	/** utime + stime: fields 14 and 15 of /proc/pid/stat, counted after the ")". */
	static long cpuTicks(String stat) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/** A "Name: 123 kB" line of /proc/pid/status, in kB; 0 when absent. */
	static long statusKb(String status, String key) {
		for (String line : status.split("\n")) {
			if (line.startsWith(key)) {
				return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
			}
		}
		return 0;
	}

	private static long statusKb(long pid, String key) {
		return read(Path.of("/proc", Long.toString(pid), "status")).map((status) -> statusKb(status, key)).orElse(0L);
	}

	private static Optional<String> stat(long pid) {
		return read(Path.of("/proc", Long.toString(pid), "stat"));
	}

	private static void resetPeak(long pid) {
		try {
			Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
		}
		catch (IOException | RuntimeException ex) {
			// not ours or gone: its peak stays the process's lifetime peak
		}
	}

	private static Optional<String> read(Path file) {
		try {
			return Optional.of(Files.readString(file));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

	private static double clockTicks() {
		try {
			Process process = new ProcessBuilder("getconf", "CLK_TCK").start();
			String out = new String(process.getInputStream().readAllBytes()).trim();
			return process.waitFor() == 0 ? Double.parseDouble(out) : 100;
		}
		catch (IOException | RuntimeException ex) {
			return 100;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 100;
		}
	}

}
