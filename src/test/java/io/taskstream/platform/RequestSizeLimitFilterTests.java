package io.taskstream.platform;

import java.io.IOException;

import jakarta.servlet.ServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestSizeLimitFilterTests {

	@Test
	void aClientsRequestIsCappedAt64KiB() {
		assertThatThrownBy(() -> readThrough("/api/v1/tasks", 64 * 1024 + 1))
			.satisfies((ex) -> assertThat(RequestSizeLimitFilter.exceededLimit(ex)).isEqualTo(64 * 1024L));
	}

	@Test
	void theSidecarMayDeliverAnEventUpToTheBrokersLimit() throws Exception {
		assertThat(readThrough("/dapr/events/analytics/task.updated", 1024 * 1024)).isEqualTo(1024 * 1024);
		assertThatThrownBy(() -> readThrough("/dapr/events/analytics/task.updated", 2 * 1024 * 1024))
			.satisfies((ex) -> assertThat(RequestSizeLimitFilter.exceededLimit(ex))
				.isEqualTo(RequestSizeLimitFilter.MAX_SUBSCRIBER_BODY_BYTES));
	}

	@Test
	void aBulkDeliveryMayCarryAHundredEventsOfTheBrokersLimit() throws Exception {
		assertThat(readThrough("/dapr/events/analytics/task.updated/bulk", 3 * 1024 * 1024)).isEqualTo(3 * 1024 * 1024);
		assertThat(RequestSizeLimitFilter.MAX_BULK_BODY_BYTES)
			.isEqualTo(100 * RequestSizeLimitFilter.MAX_SUBSCRIBER_BODY_BYTES);
		assertThatThrownBy(() -> readThrough("/api/v1/tasks/bulk", 64 * 1024 + 1)).as("only the sidecar's routes")
			.satisfies((ex) -> assertThat(RequestSizeLimitFilter.exceededLimit(ex)).isEqualTo(64 * 1024L));
	}

	@Test
	void onlyTheDaprRoutesGetTheLargerCap() {
		assertThatThrownBy(() -> readThrough("/daprx/events", 100 * 1024))
			.satisfies((ex) -> assertThat(RequestSizeLimitFilter.exceededLimit(ex)).isEqualTo(64 * 1024L));
	}

	/** Reads the whole body through the filter without a declared length, as chunked. */
	private static int readThrough(String path, int size) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", path) {
			@Override
			public long getContentLengthLong() {
				return -1;
			}
		};
		request.setContent(new byte[size]);
		int[] read = new int[1];
		new RequestSizeLimitFilter().doFilter(request, new MockHttpServletResponse(), new MockFilterChain() {
			@Override
			public void doFilter(ServletRequest inner, jakarta.servlet.ServletResponse response) throws IOException {
				read[0] = inner.getInputStream().readAllBytes().length;
			}
		});
		return read[0];
	}

}
