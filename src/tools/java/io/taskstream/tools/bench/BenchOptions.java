package io.taskstream.tools.bench;

/**
 * The benchmark's command line:
 * {@code [--quick] [--reuse] [--keep] [--no-tracing] [--sha <git sha>] [--load <text>]}.
 */
record BenchOptions(boolean quick, boolean reuse, boolean keep, boolean noTracing, String sha, String load) {

	static BenchOptions parse(String... args) {
		boolean quick = false;
		boolean reuse = false;
		boolean keep = false;
		boolean noTracing = false;
		String sha = "unknown";
		String load = "";
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--quick" -> quick = true;
				case "--reuse" -> reuse = true;
				case "--keep" -> keep = true;
				case "--no-tracing" -> noTracing = true;
				case "--sha" -> sha = value(args, ++i, "--sha");
				case "--load" -> load = value(args, ++i, "--load");
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		return new BenchOptions(quick, reuse, keep, noTracing, sha, load);
	}

	private static String value(String[] args, int index, String option) {
		if (index >= args.length) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return args[index];
	}

	/** The length of a measured phase: full, or a few seconds for a smoke run. */
	double seconds(double full) {
		return this.quick ? Math.min(full, 4) : full;
	}

}
