package io.taskstream.tools.bench;

/**
 * A target of issue 7 and whether this run met it.
 *
 * @param met {@code null} when the run did not measure it (e.g. a scenario skipped)
 */
record Target(String name, String goal, String measured, Boolean met) {

	String verdict() {
		return (this.met == null) ? "not measured" : this.met ? "met" : "not met";
	}

}
