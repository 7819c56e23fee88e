package io.taskstream.platform;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries are observed (and so traced) inside a request, as children of its observation,
 * and not when nothing is being observed.
 */
@IntegrationTest
class JdbcObservationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ObservationRegistry registry;

	@Autowired
	JdbcClient jdbc;

	final List<Observation.Context> queries = new CopyOnWriteArrayList<>();

	/** Queries observed on the test's own thread. */
	final List<Observation.Context> ownQueries = new CopyOnWriteArrayList<>();

	final Thread testThread = Thread.currentThread();

	volatile boolean recording;

	@BeforeEach
	void record() {
		this.recording = true;
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public void onStop(Observation.Context context) {
				if (JdbcObservationIntegrationTests.this.recording && context.getName().startsWith("jdbc.")) {
					JdbcObservationIntegrationTests.this.queries.add(context);
					if (Thread.currentThread() == JdbcObservationIntegrationTests.this.testThread) {
						JdbcObservationIntegrationTests.this.ownQueries.add(context);
					}
				}
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}
		});
	}

	@AfterEach
	void stopRecording() {
		this.recording = false;
	}

	@Test
	void aRequestsQueriesAreObservedAsItsChildren() {
		String user = Api.newUser();
		Api.onPort(this.port).createTask(user, "observed");
		assertThat(this.queries).isNotEmpty()
			.allSatisfy((query) -> assertThat(query.getParentObservation()).as(query.getName()).isNotNull());
		assertThat(this.queries).anySatisfy((query) -> assertThat(query.getParentObservation().getContextView())
			.isInstanceOf(ServerRequestObservationContext.class));
	}

	static List<Object> ancestors(Observation.Context context) {
		List<Object> ancestors = new java.util.ArrayList<>();
		for (var parent = context.getParentObservation(); parent != null; parent = parent.getContextView()
			.getParentObservation()) {
			ancestors.add(parent.getContextView());
		}
		return ancestors;
	}

	@Test
	void aQueryOutsideAnyObservationIsNotObserved() {
		this.jdbc.sql("SELECT 1").query(Integer.class).single();
		assertThat(this.ownQueries).isEmpty();
	}

}
