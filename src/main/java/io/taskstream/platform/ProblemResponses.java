package io.taskstream.platform;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Writes a {@link Problems} problem straight to the response, for the filters that answer
 * before Spring MVC (and so {@link ProblemHandler}) sees the request: the security
 * chains' 401s and 404s and the quota's 429s.
 */
final class ProblemResponses {

	private static final JsonMapper json = JsonMapper.builder().build();

	private ProblemResponses() {
	}

	static void write(HttpServletRequest request, HttpServletResponse response, ErrorResponseException problem)
			throws IOException {
		ProblemDetail body = problem.getBody();
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("type", body.getType().toString());
		fields.put("title", body.getTitle());
		fields.put("status", body.getStatus());
		fields.put("detail", body.getDetail());
		fields.put("instance", request.getRequestURI());
		if (body.getProperties() != null) {
			fields.putAll(body.getProperties());
		}
		response.setStatus(body.getStatus());
		problem.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		json.writeValue(response.getWriter(), fields);
	}

}
