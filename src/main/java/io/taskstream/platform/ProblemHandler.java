package io.taskstream.platform;

import java.net.URI;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into {@code application/problem+json} with a stable type URI: the
 * domain's own problems ({@link Problems}) as they are, Spring MVC's (unreadable body,
 * wrong media type, unknown path, ...) with our types, and anything unexpected as a 500
 * that is logged and says nothing of the internals.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ProblemHandler.class);

	private final Duration databaseRetryAfter;

	ProblemHandler(DatabaseProperties database) {
		this.databaseRetryAfter = database.retryAfter();
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Long limit = RequestSizeLimitFilter.exceededLimit(ex);
		if (limit != null) {
			ProblemDetail body = Problems.payloadTooLarge(limit).getBody();
			return handleExceptionInternal(ex, body, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		ProblemDetail body = Problems.problem(status, "malformed-request", "Malformed request",
				"The request body is missing or is not valid JSON of the expected shape.");
		return handleExceptionInternal(ex, body, headers, status, request);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		if (FailFastPool.isUnavailable(ex)) {
			// never a 500, and never a success: the change was rolled back (or, the
			// connection lost mid-commit, its outcome is unknown), so the client tries
			// again
			log.warn("The database could not be reached answering " + request.getDescription(false) + ": " + ex);
			ErrorResponseException unavailable = Problems.unavailable(
					"The database cannot be reached right now; try again after Retry-After seconds.",
					this.databaseRetryAfter);
			return handleExceptionInternal(ex, unavailable.getBody(), unavailable.getHeaders(),
					HttpStatus.SERVICE_UNAVAILABLE, request);
		}
		if (StatementTimeout.isTimeout(ex)) {
			log.warn("The database did not answer " + request.getDescription(false) + " in time: " + ex.getMessage());
			ErrorResponseException unavailable = Problems
				.unavailable("The database is busy and did not answer in time; try again shortly.");
			return handleExceptionInternal(ex, unavailable.getBody(), unavailable.getHeaders(),
					HttpStatus.SERVICE_UNAVAILABLE, request);
		}
		log.error("Unexpected error answering " + request.getDescription(false), ex);
		ProblemDetail body = Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"Something went wrong on our side; it has been logged.");
		return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem && isUntyped(problem)) {
			problem.setType(URI.create(Problems.TYPE_BASE + Problems.typeSlugFor(statusCode)));
		}
		return response;
	}

	private static boolean isUntyped(ProblemDetail problem) {
		return problem.getType() == null || "about:blank".equals(problem.getType().toString());
	}

}
