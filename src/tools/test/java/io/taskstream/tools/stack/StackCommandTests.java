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
