package io.taskstream.platform;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The RFC 9457 problems Taskstream answers with. Each has a stable {@code type} URI that
 * clients may branch on; {@code title} and {@code detail} are for people.
 */
public final class Problems {

	/** The base of every problem type URI. */
	public static final String TYPE_BASE = "https://taskstream.io/problems/";

	/**
	 * Every problem type (after {@link #TYPE_BASE}) an answer can carry; the OpenAPI
	 * document lists them.
	 */
	static final List<String> TYPES = List.of("invalid-request", "malformed-request", "unauthenticated", "forbidden",
			"not-found", "method-not-allowed", "not-acceptable", "conflict", "version-mismatch", "payload-too-large",
			"unsupported-media-type", "too-many-requests", "upstream-failure", "unavailable", "internal-error",
			"bad-request");

	private Problems() {
	}

	/** 400 with the list of fields that are wrong, in {@code errors}. */
	public static ErrorResponseException invalidRequest(List<FieldProblem> errors) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
				"The request has " + errors.size() + " invalid field(s).");
		problem.setProperty("errors", errors);
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}

	/** 400 for one invalid field. */
	public static ErrorResponseException invalidField(String field, String message) {
		return invalidRequest(List.of(new FieldProblem(field, message)));
	}

	public static ErrorResponseException unauthenticated(String detail) {
		return exception(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated", detail);
	}

	public static ErrorResponseException forbidden(String detail) {
		return exception(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
	}

	public static ErrorResponseException notFound(String detail) {
		return exception(HttpStatus.NOT_FOUND, "not-found", "Not found", detail);
	}

	public static ErrorResponseException versionMismatch(String detail) {
		return exception(HttpStatus.PRECONDITION_FAILED, "version-mismatch", "Version mismatch", detail);
	}

	public static ErrorResponseException payloadTooLarge(long limitBytes) {
		return exception(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
				"The request body is larger than " + limitBytes + " bytes.");
	}

	/** 429 with {@code Retry-After}: the caller is over one of its quotas. */
	public static ErrorResponseException tooManyRequests(String detail, Duration retryAfter) {
		ErrorResponseException exception = exception(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
				"Too many requests", detail);
		exception.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		return exception;
	}

	/** 502: a role this one depends on failed to answer. */
	public static ErrorResponseException upstreamFailure(String detail) {
		return exception(HttpStatus.BAD_GATEWAY, "upstream-failure", "Upstream failure", detail);
	}

	/** 503: the database did not answer in time; the client may try again shortly. */
	public static ErrorResponseException unavailable(String detail) {
		ErrorResponseException ex = exception(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Unavailable", detail);
		ex.getHeaders().set("Retry-After", "1");
		return ex;
	}

	/** 503 with a {@code Retry-After} of the given wait (at least a second). */
	public static ErrorResponseException unavailable(String detail, Duration retryAfter) {
		ErrorResponseException ex = unavailable(detail);
		ex.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		return ex;
	}

	/** 409: the operation is already running. */
	public static ErrorResponseException conflict(String detail) {
		return exception(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
	}

	/** The problem for an HTTP status Spring MVC raised itself (415, 405, 406, ...). */
	static String typeSlugFor(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> "malformed-request";
			case 401 -> "unauthenticated";
			case 403 -> "forbidden";
			case 404 -> "not-found";
			case 405 -> "method-not-allowed";
			case 406 -> "not-acceptable";
			case 412 -> "version-mismatch";
			case 413 -> "payload-too-large";
			case 409 -> "conflict";
			case 415 -> "unsupported-media-type";
			case 429 -> "too-many-requests";
			case 502 -> "upstream-failure";
			case 503 -> "unavailable";
			default -> (status.is5xxServerError()) ? "internal-error" : "bad-request";
		};
	}

	static ProblemDetail problem(HttpStatusCode status, String slug, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + slug));
		problem.setTitle(title);
		return problem;
	}

	private static ErrorResponseException exception(HttpStatus status, String slug, String title, String detail) {
		return new ErrorResponseException(status, problem(status, slug, title, detail), null);
	}

}
