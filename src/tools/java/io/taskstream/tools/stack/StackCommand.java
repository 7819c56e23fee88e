package io.taskstream.tools.stack;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code scripts/stack} asks the launcher to do: a verb, and a part for those that
 * act on one.
 *
 * @param part the part's name, or {@code null} for the verbs on the whole stack
 * @param secured {@code up --secure}: Kafka with SASL_SSL, TLS and ACLs
 * @param kafkaNodes {@code up --kafka-nodes N}: a Kafka cluster of N nodes; 0 for the
 * verbs that act on the stack as it was started
 * @param attachment what {@code attach} attaches, else {@code null}
 */
record StackCommand(Verb verb, String part, boolean secured, int kafkaNodes, Attachment attachment) {

	static final String USAGE = "usage: LocalStack up [--secure] [--kafka-nodes 1|3]|down|status|urls"
			+ "|start <part>|stop <part>|kill <part>|freeze <part>|thaw <part>|" + Attachment.USAGE
			+ "|detach <app-id>";

	StackCommand(Verb verb, String part, boolean secured) {
		this(verb, part, secured, 0, null);
	}

	StackCommand(Verb verb, String part, boolean secured, int kafkaNodes) {
		this(verb, part, secured, kafkaNodes, null);
	}

	enum Verb {

		UP(false), DOWN(false), STATUS(false), URLS(false), START(true), STOP(true), KILL(true), FREEZE(true),
		THAW(true), ATTACH(true), DETACH(true);

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
		if (verb == Verb.ATTACH) {
			Attachment attachment = Attachment.parse(List.of(args).subList(1, args.length));
			return new StackCommand(verb, attachment.appId(), false, 0, attachment);
		}
		if (verb == Verb.DETACH && args.length == 2) {
			return new StackCommand(verb, Attachment.checkedAppId(args[1]), false);
		}
		if (verb == Verb.UP && args.length > 1) {
			return parseUp(args);
		}
		int expected = verb.takesPart ? 2 : 1;
		if (args.length != expected) {
			throw new IllegalArgumentException(
					verb.takesPart ? args[0] + " needs one part" : args[0] + " takes no arguments");
		}
		return new StackCommand(verb, verb.takesPart ? args[1] : null, false);
	}

	/**
	 * What the user needs next: the sidecar's ports and the app's environment, also in a
	 * file to source.
	 */
	private static void print(LocalStack.AttachedApp app) {
		LocalStack.progress("attached " + app.appId() + ": its sidecar runs as part " + app.part());
		app.sidecarPorts().forEach((name, port) -> System.out.printf("  %-28s %d%n", name, port));
		System.out.println("The app's environment (load it with: set -a; . " + app.environmentFile() + "; set +a):");
		app.environment().forEach((name, value) -> System.out.println("  " + name + "=" + value));
		LocalStack.progress("start your app on APP_PORT; stop the sidecar with: scripts/stack detach " + app.appId());
	}

	private static StackCommand parseUp(String... args) {
		boolean secured = false;
		int nodes = 0;
		for (int i = 1; i < args.length; i++) {
			if (args[i].equals("--secure") && !secured) {
				secured = true;
			}
			else if (args[i].equals("--kafka-nodes") && nodes == 0 && i + 1 < args.length) {
				nodes = switch (args[++i]) {
					case "1" -> 1;
					case "3" -> 3;
					default -> throw new IllegalArgumentException("--kafka-nodes takes 1 or 3, not " + args[i]);
				};
			}
			else {
				throw new IllegalArgumentException("up takes --secure and --kafka-nodes 1|3, not " + args[i]);
			}
		}
		if (secured && nodes > 1) {
			throw new IllegalArgumentException("--secure runs one Kafka node; drop --kafka-nodes " + nodes);
		}
		return new StackCommand(Verb.UP, null, secured, nodes);
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
		LocalStack stack = LocalStack.of(Path.of(System.getProperty("taskstream.repo", ".")), command.secured(),
				command.kafkaNodes());
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
				case FREEZE -> stack.freeze(command.part());
				case THAW -> stack.thaw(command.part());
				case ATTACH -> print(stack.attach(command.attachment()));
				case DETACH -> stack.detach(command.part());
			}
		}
		catch (Attachment.Invalid ex) {
			System.err
				.println("[stack] " + ex.getMessage() + ((command.verb() == Verb.ATTACH) ? "; nothing started" : ""));
			System.exit(2);
		}
		catch (IllegalStateException | IllegalArgumentException | UncheckedIOException ex) {
			System.err.println("[stack] " + ex.getMessage());
			System.exit(1);
		}
	}

}
