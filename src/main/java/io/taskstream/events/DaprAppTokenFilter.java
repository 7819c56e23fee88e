package io.taskstream.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With {@code APP_API_TOKEN} set, the sidecar sends it as {@code dapr-api-token} on every
 * call to the app; this rejects calls to the Dapr endpoints ({@code /dapr/**}) that do
 * not carry it, with a 401 problem. The SDK does not check it itself.
 */
final class DaprAppTokenFilter extends OncePerRequestFilter {

	private final byte[] token;

	DaprAppTokenFilter(String token) {
		this.token = token.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/dapr/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = request.getHeader("dapr-api-token");
		if (presented != null && MessageDigest.isEqual(this.token, presented.getBytes(StandardCharsets.UTF_8))) {
			chain.doFilter(request, response);
			return;
		}
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setContentType("application/problem+json");
		response.getWriter()
			.write("{\"type\":\"https://taskstream.io/problems/unauthenticated\",\"title\":\"Unauthenticated\","
					+ "\"status\":401,\"detail\":\"Dapr endpoints need the app API token in dapr-api-token.\","
					+ "\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}");
	}

}
