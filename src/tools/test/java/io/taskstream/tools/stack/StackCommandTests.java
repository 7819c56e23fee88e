package io.taskstream.tools.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StackCommandTests {

	@Test
	void verbsOnTheStackTakeNoPartAndVerbsOnAPartTakeOne() {
		assertThat(StackCommand.parse()).isEqualTo(new StackCommand(StackCommand.Verb.STATUS, null, false));
		assertThat(StackCommand.parse("up")).isEqualTo(new StackCommand(StackCommand.Verb.UP, null, false));
		assertThat(StackCommand.parse("up", "--secure")).isEqualTo(new StackCommand(StackCommand.Verb.UP, null, true));
		assertThat(StackCommand.parse("kill", "analytics"))
			.isEqualTo(new StackCommand(StackCommand.Verb.KILL, "analytics", false));
	}

	@Test
	void upTakesAKafkaClusterOfThreeAndAPartCanBeFrozenAndThawed() {
		assertThat(StackCommand.parse("up", "--kafka-nodes", "3"))
			.isEqualTo(new StackCommand(StackCommand.Verb.UP, null, false, 3));
		assertThat(StackCommand.parse("up", "--kafka-nodes", "1", "--secure"))
			.isEqualTo(new StackCommand(StackCommand.Verb.UP, null, true, 1));
		assertThat(StackCommand.parse("freeze", "kafka-2"))
			.isEqualTo(new StackCommand(StackCommand.Verb.FREEZE, "kafka-2", false));
		assertThat(StackCommand.parse("thaw", "kafka-2"))
			.isEqualTo(new StackCommand(StackCommand.Verb.THAW, "kafka-2", false));
		assertThatIllegalArgumentException().isThrownBy(() -> StackCommand.parse("up", "--kafka-nodes", "2"))
			.withMessage("--kafka-nodes takes 1 or 3, not 2");
		assertThatIllegalArgumentException().isThrownBy(() -> StackCommand.parse("up", "--kafka-nodes"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StackCommand.parse("up", "--secure", "--kafka-nodes", "3"))
			.withMessageContaining("--secure runs one Kafka node");
	}

	@Test
	void aWrongCommandLineIsRefusedWithTheReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> StackCommand.parse("upp"))
			.withMessage("unknown command 'upp'");
		assertThatIllegalArgumentException().isThrownBy(() -> StackCommand.parse("start"))
			.withMessage("start needs one part");
		assertThatIllegalArgumentException().isThrownBy(() -> StackCommand.parse("down", "--secure"));
		assertThatIllegalArgumentException().isThrownBy(() -> StackCommand.parse("down", "now"))
			.withMessage("down takes no arguments");
	}

}
