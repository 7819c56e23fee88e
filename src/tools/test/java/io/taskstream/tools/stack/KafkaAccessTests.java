package io.taskstream.tools.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaAccessTests {

	@Test
	void theDocumentedAclTableIsTheModelTheStackApplies() throws IOException {
		String doc = Files.readString(Path.of("docs/local-kafka-security.md"));
		String table = doc.substring(doc.indexOf("<!-- acl-table"), doc.indexOf("<!-- /acl-table -->"));
		Map<String, List<Set<String>>> documented = new LinkedHashMap<>();
		for (String line : table.lines().filter((l) -> l.startsWith("| `")).toList()) {
			String[] cells = line.split("\\|");
			documented.put(names(cells[1]).iterator().next(),
					List.of(names(cells[2]), names(cells[3]), names(cells[4])));
		}
		assertThat(documented).isEqualTo(model());
	}

	private static Map<String, List<Set<String>>> model() {
		Map<String, List<Set<String>>> model = new LinkedHashMap<>();
		for (KafkaAccess access : KafkaAccess.MODEL) {
			model.put(access.role(), List.of(access.writes(), access.reads(),
					(access.group() != null) ? Set.of(access.group()) : Set.of()));
		}
		return model;
	}

	/**
	 * The clouds apply the same model (the chart's table in docs/kafka-security.md, which
	 * its own tests check against the chart): the four roles' rows must be this model.
	 */
	@Test
	void theCloudsAclTableGivesTheRolesTheSameRights() throws IOException {
		String doc = Files.readString(Path.of("docs/kafka-security.md"));
		Map<String, List<Set<String>>> documented = new LinkedHashMap<>();
		for (String line : doc.lines().filter((l) -> l.startsWith("| `")).toList()) {
			String[] cells = line.split("\\|");
			String role = names(cells[1]).stream().findFirst().orElse("");
			if (StackPorts.ROLES.contains(role) && !documented.containsKey(role)) {
				documented.put(role, List.of(names(cells[2]), names(cells[3]), names(cells[4])));
			}
		}
		assertThat(documented).isEqualTo(model());
	}

	@Test
	void everySubscriberReadsWithItsOwnGroupAndWritesOnlyDeadLettersButAudit() {
		for (KafkaAccess access : KafkaAccess.MODEL) {
			if (!access.reads().isEmpty()) {
				assertThat(access.group()).isEqualTo(access.role());
				assertThat(access.writes()).contains("task.deadletter");
			}
		}
		assertThat(KafkaAccess.MODEL).filteredOn((access) -> access.writes().contains("task.created"))
			.extracting(KafkaAccess::role)
			.containsExactlyInAnyOrder("tasks", "audit");
		assertThat(KafkaAccess.MODEL).extracting(KafkaAccess::role).containsExactlyElementsOf(StackPorts.ROLES);
	}

	@Test
	void theAclsGrantOnlyTopicAndGroupRightsOfTheModelAndNothingOnTheCluster() {
		List<AclBinding> bindings = KafkaAccess.allBindings();
		assertThat(bindings).doesNotHaveDuplicates();
		assertThat(bindings).allSatisfy((binding) -> {
			assertThat(binding.pattern().resourceType()).isIn(ResourceType.TOPIC, ResourceType.GROUP);
			assertThat(binding.entry().operation()).isIn(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
			assertThat(LocalStack.TOPICS.contains(binding.pattern().name())
					|| StackPorts.ROLES.contains(binding.pattern().name()))
				.isTrue();
		});
		List<String> tasks = new ArrayList<>();
		bindings.stream()
			.filter((binding) -> binding.entry().principal().equals("User:tasks"))
			.forEach((binding) -> tasks.add(binding.entry().operation() + " " + binding.pattern().name()));
		assertThat(tasks).hasSize(8).noneMatch((right) -> right.startsWith("READ"));
	}

	/** The back-quoted names of a table cell; "—" is none. */
	private static Set<String> names(String cell) {
		return Arrays.stream(cell.split(","))
			.map(String::trim)
			.filter((name) -> name.startsWith("`"))
			.map((name) -> name.replace("`", ""))
			.collect(Collectors.toCollection(TreeSet::new));
	}

}
