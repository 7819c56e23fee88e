package io.taskstream.platform;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequestBodiesTests {

	static final JsonMapper json = JsonMapper.builder().build();

	record Change(Patch<@NotBlank(message = "must not be blank") String> name,
			Patch<@Size(max = 2, message = "at most 2") List<String>> labels, Patch<Integer> rank) {
	}

	@Test
	void aPatchTellsAbsentFromNullFromAValue() {
		Change change = RequestBodies.read(json.readTree("{\"name\":\"x\",\"labels\":null}"), Change.class);
		assertThat(change.name()).isEqualTo(Patch.of("x"));
		assertThat(change.labels().present()).isTrue();
		assertThat(change.labels().value()).isNull();
		assertThat(change.rank().present()).isFalse();
		assertThat(change.rank().orElse(7)).isEqualTo(7);
	}

	@Test
	void constraintsCheckTheValueSentAndNothingWhenAbsent() {
		assertThat(RequestBodies.read(json.readTree("{}"), Change.class).name().present()).isFalse();
		assertThat(problems("{\"name\":\" \",\"labels\":[\"a\",\"b\",\"c\"]}"))
			.containsExactly(new FieldProblem("labels", "at most 2"), new FieldProblem("name", "must not be blank"));
	}

	@Test
	void everyProblemIsReportedAtOnceTypesFirst() {
		assertThat(problems("{\"name\":5,\"labels\":[\"a\",\"b\",\"c\"],\"rank\":\"high\",\"extra\":1}"))
			.extracting(FieldProblem::field)
			.containsExactlyInAnyOrder("extra", "name", "rank", "labels");
	}

	@Test
	void aBodyThatIsNotAnObjectIsRefused() {
		assertThat(problems("[1]")).containsExactly(new FieldProblem("$", "the body must be a JSON object"));
	}

	@SuppressWarnings("unchecked")
	private static List<FieldProblem> problems(String body) {
		ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class,
				() -> RequestBodies.read(json.readTree(body), Change.class));
		assertThat(ex.getStatusCode().value()).isEqualTo(400);
		return (List<FieldProblem>) ex.getBody().getProperties().get("errors");
	}

}
