package io.taskstream.platform;

import java.time.Duration;

import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@IntegrationTest
class StatementTimeoutIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void everyPooledSessionHasTheStatementTimeout() {
		for (int i = 0; i < 12; i++) {
			assertThat(this.jdbc.sql("SHOW statement_timeout").query(String.class).single()).isEqualTo("5s");
		}
	}

	@Test
	void aStatementThatRunsTooLongIsCancelledAndAnsweredWith503() {
		DataAccessException timeout = catchThrowableOfType(DataAccessException.class,
				() -> this.jdbc.sql("SELECT pg_sleep(8)").query().singleRow());
		assertThat(StatementTimeout.isTimeout(timeout)).as("%s", timeout).isTrue();

		ResponseEntity<Object> answer = new ProblemHandler(new DatabaseProperties(Duration.ofSeconds(5),
				Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2)))
			.handleUnexpected(timeout,
					new ServletWebRequest(new MockHttpServletRequest("GET", "/api/v1/analytics/totals")));

		assertThat(answer.getStatusCode().value()).isEqualTo(503);
		assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(((ProblemDetail) answer.getBody()).getType().toString())
			.isEqualTo("https://taskstream.io/problems/unavailable");
	}

}
