package io.taskstream.platform;

import java.lang.reflect.Method;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class QuotasTests {

	final Quotas quotas = new Quotas(new QuotaProperties(20, 5, 2, 1, 2));

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void theInstanceLimitHoldsAcrossUsersAndAFinishedStreamFreesItsSlot() throws Exception {
		MockHttpServletRequest alice = stream("alice");
		stream("bob");

		ErrorResponseException refused = assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> stream("carol"))
			.actual();
		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("30");

		as("alice");
		this.quotas.afterCompletion(alice, new MockHttpServletResponse(), streamHandler(), null);
		assertThat(this.quotas.openStreams()).isEqualTo(1);
		stream("carol");
		assertThat(this.quotas.openStreams()).isEqualTo(2);
	}

	@Test
	void aStreamThatStartedFreesItsSlotWhenItEnds() throws Exception {
		as("alice");
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/events/stream");
		request.setAsyncSupported(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.quotas.preHandle(request, response, streamHandler());
		request.startAsync();
		this.quotas.afterConcurrentHandlingStarted(request, response, streamHandler());
		assertThat(this.quotas.openStreams()).isEqualTo(1);

		request.getAsyncContext().complete();

		assertThat(this.quotas.openStreams()).isZero();
	}

	@Test
	void writesBeyondTheBurstWaitForTheRate() throws Exception {
		as("alice");
		write();
		write();

		ErrorResponseException refused = assertThatExceptionOfType(ErrorResponseException.class).isThrownBy(this::write)
			.actual();
		assertThat(refused.getStatusCode().value()).isEqualTo(429);
		assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
		as("bob");
		write();
	}

	private void write() throws Exception {
		this.quotas.preHandle(new MockHttpServletRequest("POST", "/api/v1/tasks"), new MockHttpServletResponse(),
				new Object());
	}

	private MockHttpServletRequest stream(String user) throws Exception {
		as(user);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/events/stream");
		this.quotas.preHandle(request, new MockHttpServletResponse(), streamHandler());
		return request;
	}

	private static void as(String user) {
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(user, null));
	}

	private static HandlerMethod streamHandler() throws NoSuchMethodException {
		Method method = QuotasTests.class.getDeclaredMethod("aStream");
		return new HandlerMethod(new QuotasTests(), method);
	}

	SseEmitter aStream() {
		return new SseEmitter();
	}

	@Test
	void aStreamQuotaThatLeavesNoConnectionsForApiCallsStopsTheStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> WebConfiguration.checkStreamsFit(new QuotaProperties(20, 10, 10_000, 10, 100), 8192))
			.withMessageContaining("server.tomcat.max-connections (8192)");
		WebConfiguration.checkStreamsFit(new QuotaProperties(20, 10, 10_000, 10, 100), 10_500);
	}

}
