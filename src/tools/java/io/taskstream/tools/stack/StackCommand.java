package io.taskstream.tools.stack;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code scripts/stack} asks the launcher to do: a verb, and a part for those that
 * act on one.
 *
 * @param part the part's name, or {@code null} for the verbs on the whole stack
 * @param secured {@code up --secure}: Kafka with SASL_SSL, TLS and ACLs
 */
record StackCommand(Verb verb, String part, boolean secured) {

	static final String USAGE = "usage: LocalStack up [--secure]|down|status|urls|start <part>|stop <part>|kill <part>";

	enum Verb {

		UP(false), DOWN(false), STATUS(false), URLS(false), START(true), STOP(true), KILL(true);

		private final boolean takesPart;

		Verb(boolean takesPart) {
			this.takesPart = takesPart;
		}

	}

	/** No arguments means {@code status}. */
	static StackCommand parse(String... args) {
		if (args.length == 0) {
			return new StackCommand(Verb.STATUS, null, false);
		}
		Verb verb;
		try {
			verb = Verb.valueOf(args[0].toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("unknown command '" + args[0] + "'");
		}
		if (verb == Verb.UP && args.length == 2 && args[1].equals("--secure")) {
			return new StackCommand(verb, null, true);
		}
		int expected = verb.takesPart ? 2 : 1;
		if (args.length != expected) {
			throw new IllegalArgumentException(
					verb.takesPart ? args[0] + " needs one part" : args[0] + " takes no arguments");
		}
		return new StackCommand(verb, verb.takesPart ? args[1] : null, false);
	}

	/** {@code up | down | status | urls | start <part> | stop <part> | kill <part>}. */
	public static void main(String[] args) {
		StackCommand command;
		try {
			command = StackCommand.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("[stack] " + ex.getMessage() + "\n" + USAGE);
			System.exit(2);
			return;
		}
		LocalStack stack = LocalStack.of(Path.of(System.getProperty("taskstream.repo", ".")), command.secured());
		try {
			switch (command.verb()) {
				case UP -> {
					stack.up();
					stack.urls().forEach(System.out::println);
				}
				case DOWN -> stack.down();
				case STATUS -> stack.status().forEach(System.out::println);
				case URLS -> stack.urls().forEach(System.out::println);
				case START -> stack.start(command.part());
				case STOP -> stack.stop(command.part());
				case KILL -> stack.kill(command.part());
			}
		}
		catch (IllegalStateException | IllegalArgumentException | UncheckedIOException ex) {
			System.err.println("[stack] " + ex.getMessage());
			System.exit(1);
		}
	}

}
