package io.taskstream.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.servlet.AsyncHandlerInterceptor;

/**
 * Starts a new {@link SseHub} stream once Spring MVC has handed its emitter the response
 * (after the handler returned and asynchronous handling started). A send before that is
 * kept in the emitter's own list, without bound, so a catch-up started from the handler
 * itself could hold a whole backlog in memory.
 */
class SseStarts implements AsyncHandlerInterceptor {

	@Override
	public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
			Object handler) {
		if (request.getAttribute(SseHub.START) instanceof Runnable start) {
			request.removeAttribute(SseHub.START);
			start.run();
		}
	}

}
