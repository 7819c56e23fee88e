package io.taskstream.tools.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app of another team attached to the local stack ({@code scripts/stack attach}): its
 * Dapr app-id, the port it serves its sidecar on, and the task topics it takes. It gets
 * what the chart's {@code externalSubscribers} value gives it on Kubernetes, and nothing
 * more: the Kafka component, a Subscription per topic routed to
 * {@code <routePrefix>/<topic>} with {@code task.deadletter} as dead-letter topic, the
 * Resiliency's bounded retries, and the right to publish only its dead letters.
 *
 * @param appId its Dapr app-id, also its consumer group (a DNS-1123 label, not a role's)
 * @param appPort where the app listens for its sidecar
 * @param topics task topics it subscribes to, in the order given
 * @param routePrefix path prefix of its deliveries ({@code /events} by default)
 */
public record Attachment(String appId, int appPort, List<String> topics, String routePrefix) {

	/**
	 * The topics an attached app may take: task.replay and task.deadletter are the
	 * roles'.
	 */
	public static final List<String> TASK_TOPICS = List.of("task.created", "task.updated", "task.deleted",
			"task.completed");

	public static final String DEAD_LETTER_TOPIC = "task.deadletter";

	public static final String PUBSUB = "taskstream-pubsub";

	static final String DEFAULT_ROUTE_PREFIX = "/events";

	static final String USAGE = "attach <app-id> --app-port N [--topics t1,t2,...] [--route-prefix /path]";

	/** The chart's pattern for an app-id (values.schema.json): a DNS-1123 label. */
	private static final Pattern APP_ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	private static final Pattern ROUTE_PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	public Attachment {
		topics = List.copyOf(topics);
	}

	/**
	 * A wrong attach or detach command line, or a port taken: exit code 2, nothing
	 * started.
	 */
	public static final class Invalid extends IllegalArgumentException {

		Invalid(String message) {
			super(message);
		}

	}

	/** {@code <app-id> --app-port N [--topics t1,t2] [--route-prefix /p]}. */
	public static Attachment parse(List<String> args) {
		if (args.isEmpty() || args.get(0).startsWith("-")) {
			throw new Invalid("attach needs an app-id first; " + USAGE);
		}
		String appId = args.get(0);
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 1; i < args.size(); i += 2) {
			String option = args.get(i);
			if (!List.of("--app-port", "--topics", "--route-prefix").contains(option)) {
				throw new Invalid("unknown option '" + option + "'; " + USAGE);
			}
			if (i + 1 >= args.size()) {
				throw new Invalid(option + " needs a value; " + USAGE);
			}
			if (options.put(option, args.get(i + 1)) != null) {
				throw new Invalid(option + " given twice");
			}
		}
		if (!options.containsKey("--app-port")) {
			throw new Invalid("attach needs --app-port, the port your app listens on; " + USAGE);
		}
		String topics = options.getOrDefault("--topics", String.join(",", TASK_TOPICS));
		return new Attachment(checkedAppId(appId), port(options.get("--app-port")),
				topics(List.of(topics.split(",", -1))),
				routePrefix(options.getOrDefault("--route-prefix", DEFAULT_ROUTE_PREFIX)));
	}

	/** A Dapr app-id the stack can give an attached app, or {@link Invalid}. */
	static String checkedAppId(String appId) {
		if (!APP_ID.matcher(appId).matches()) {
			throw new Invalid("app-id '" + appId + "' is not a DNS label (lower-case letters, digits and '-', "
					+ "1-63 characters, starting and ending with a letter or digit), as Dapr app-ids must be");
		}
		if (StackPorts.ROLES.contains(appId)) {
			throw new Invalid("app-id '" + appId + "' is a role's; an attached app needs its own app-id (it is "
					+ "also its consumer group)");
		}
		return appId;
	}

	private static int port(String value) {
		int port;
		try {
			port = Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new Invalid("--app-port '" + value + "' is not a port number");
		}
		if (port < 1 || port > 65535) {
			throw new Invalid("--app-port " + port + " is out of range (1-65535)");
		}
		if (ephemeral(port)) {
			throw new Invalid("--app-port " + port + " is in Linux's ephemeral range (32768-60999), where any "
					+ "outgoing connection can take it just when your app wants to listen; choose one below 32768");
		}
		return port;
	}

	/**
	 * Whether Linux may hand the port to an outgoing connection (32768-60999): no stack
	 * port lies there.
	 */
	static boolean ephemeral(int port) {
		return port >= 32768 && port <= 60999;
	}

	private static List<String> topics(List<String> given) {
		Set<String> topics = new LinkedHashSet<>();
		for (String topic : given) {
			String trimmed = topic.trim();
			if (!TASK_TOPICS.contains(trimmed)) {
				throw new Invalid("unknown topic '" + trimmed + "': an attached app takes task topics only, "
						+ String.join(", ", TASK_TOPICS)
						+ " (task.replay carries replays for the roles, task.deadletter is audit's)");
			}
			if (!topics.add(trimmed)) {
				throw new Invalid("topic " + trimmed + " given twice");
			}
		}
		return List.copyOf(topics);
	}

	private static String routePrefix(String prefix) {
		if (!ROUTE_PREFIX.matcher(prefix).matches()) {
			throw new Invalid("--route-prefix '" + prefix + "' is not a path such as /events");
		}
		return prefix;
	}

	/** The path its sidecar POSTs a topic's events to. */
	String route(String topic) {
		return this.routePrefix + "/" + topic;
	}

	/** The arguments that {@link #parse} reads back into this attachment. */
	List<String> arguments() {
		return List.of(this.appId, "--app-port", Integer.toString(this.appPort), "--topics",
				String.join(",", this.topics), "--route-prefix", this.routePrefix);
	}

	/**
	 * Its sidecar's resources: the stack's Kafka component and Resiliency with this
	 * app-id added to their scopes, its publishing scope ({@code task.deadletter} only)
	 * and subscription scope (its topics), and its Subscriptions, as the chart renders
	 * them for an external subscriber.
	 * @param component the stack's {@code pubsub-kafka.yaml}
	 * @param resiliency the stack's {@code resiliency.yaml}
	 */
	public Map<String, String> resources(String component, String resiliency) {
		String scoped = withScope(component, "components/pubsub-kafka.yaml");
		// publishingScopes restricts only the app-ids it names: left out, this app could
		// publish every task event
		scoped = appendToScopes(scoped, "publishingScopes", DEAD_LETTER_TOPIC);
		scoped = appendToScopes(scoped, "subscriptionScopes", String.join(",", this.topics));
		Map<String, String> files = new LinkedHashMap<>();
		files.put("pubsub-kafka.yaml", scoped);
		files.put("resiliency.yaml", withScope(resiliency, "dapr-config/resiliency.yaml"));
		files.put("subscriptions.yaml", subscriptions());
		return files;
	}

	/** Its Subscriptions, one per topic, each with the dead-letter topic. */
	String subscriptions() {
		List<String> documents = new ArrayList<>();
		for (String topic : this.topics) {
			documents.add("""
					apiVersion: dapr.io/v2alpha1
					kind: Subscription
					metadata:
					  name: %s-%s
					spec:
					  pubsubname: %s
					  topic: %s
					  routes:
					    default: %s
					  deadLetterTopic: %s
					scopes:
					  - %s
					""".formatted(this.appId, topic.replace('.', '-'), PUBSUB, topic, route(topic), DEAD_LETTER_TOPIC,
					this.appId));
		}
		return "# Written by scripts/stack attach " + this.appId + ": as the chart renders externalSubscribers.\n"
				+ String.join("---\n", documents);
	}

	/** The resource with this app-id added to its top-level {@code scopes} list. */
	private String withScope(String resource, String source) {
		Matcher scopes = Pattern.compile("\nscopes:\n((?:  - [^\n]+\n)+)").matcher(resource);
		if (!scopes.find()) {
			throw new IllegalStateException(source + " changed: it has no top-level scopes list to attach to");
		}
		return resource.substring(0, scopes.end()) + "  - " + this.appId + "\n" + resource.substring(scopes.end());
	}

	/** The component with {@code ;<appId>=<topics>} added to a scopes value. */
	private String appendToScopes(String component, String name, String topics) {
		Matcher value = Pattern.compile("(- name: " + name + "\n\\s+value: \"[^\"]*)\"").matcher(component);
		if (!value.find()) {
			throw new IllegalStateException("components/pubsub-kafka.yaml changed: it has no " + name);
		}
		return component.substring(0, value.end(1)) + ";" + this.appId + "=" + topics
				+ component.substring(value.end(1));
	}

}
