package io.taskstream.platform;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The append lock of {@link SseHub}: a user's items become visible in id order even when
 * two writers race, which is what lets a stream (and a polling cursor) read "after the
 * last id" without gaps.
 */
@IntegrationTest
class SseHubIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Test
	void aSecondWriterOfTheSameUserWaitsUntilTheFirstCommits() throws Exception {
		this.jdbc.sql("CREATE TABLE IF NOT EXISTS public.sse_hub_test (id bigserial PRIMARY KEY, user_id text)")
			.update();
		try (SseHub<Long> hub = new SseHub<>("test", (id) -> id, SseHubTests.settings(), new SimpleMeterRegistry(),
				this.jdbc)) {
			String user = Api.newUser();
			CountDownLatch firstInserted = new CountDownLatch(1);
			CountDownLatch commitFirst = new CountDownLatch(1);
			CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> this.transaction.execute((status) -> {
				long id = insert(hub, user);
				firstInserted.countDown();
				await(commitFirst);
				return id;
			}));
			assertThat(firstInserted.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Long> second = CompletableFuture
				.supplyAsync(() -> this.transaction.execute((status) -> insert(hub, user)));
			CompletableFuture<Long> otherUser = CompletableFuture
				.supplyAsync(() -> this.transaction.execute((status) -> insert(hub, Api.newUser())));

			assertThat(otherUser.get(10, TimeUnit.SECONDS)).as("another user's writer is not held up").isPositive();
			Thread.sleep(500);
			assertThat(second).as("the same user's second writer waits").isNotDone();
			commitFirst.countDown();
			assertThat(second.get(10, TimeUnit.SECONDS)).isGreaterThan(first.get(10, TimeUnit.SECONDS));
		}
	}

	private long insert(SseHub<Long> hub, String user) {
		hub.appending(user);
		return this.jdbc.sql("INSERT INTO public.sse_hub_test (user_id) VALUES (:user) RETURNING id")
			.param("user", user)
			.query(Long.class)
			.single();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
