package io.taskstream.platform;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies, whether or not the client declares a length: reading past the cap
 * fails, and {@link ProblemHandler} answers 413. Clients' API requests get 64 KiB, far
 * more than the largest valid task; the sidecar's deliveries to {@code /dapr/**} get what
 * the broker carries (1 MiB) plus room for the CloudEvent's own attributes, so that every
 * event that could be published can be delivered; a bulk delivery ({@code /dapr/**}
 * ending in {@code /bulk}) gets that for each of the most entries a batch may carry.
 */
class RequestSizeLimitFilter extends OncePerRequestFilter {

	static final long MAX_BODY_BYTES = 64 * 1024;

	static final long MAX_SUBSCRIBER_BODY_BYTES = 1024 * 1024 + 64 * 1024;

	/**
	 * The most entries of a bulk delivery (the events module's limit on its batches,
	 * {@code EventsProperties.Bulk.MAX_ENTRIES}, which this module cannot see).
	 */
	static final int MAX_BULK_ENTRIES = 100;

	static final long MAX_BULK_BODY_BYTES = MAX_BULK_ENTRIES * MAX_SUBSCRIBER_BODY_BYTES;

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new LimitedRequest(request, limitFor(request)), response);
	}

	static long limitFor(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith("/dapr/") && path.endsWith("/bulk")) {
			return MAX_BULK_BODY_BYTES;
		}
		return (path.equals("/dapr") || path.startsWith("/dapr/")) ? MAX_SUBSCRIBER_BODY_BYTES : MAX_BODY_BYTES;
	}

	/** The cap that was exceeded, if that is why the body could not be read. */
	static Long exceededLimit(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BodyTooLargeException tooLarge) {
				return tooLarge.limit;
			}
		}
		return null;
	}

	static final class BodyTooLargeException extends IOException {

		private final long limit;

		BodyTooLargeException(long limit) {
			super("request body exceeds " + limit + " bytes");
			this.limit = limit;
		}

	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (getContentLengthLong() > this.limit) {
				throw new BodyTooLargeException(this.limit);
			}
			if (this.stream == null) {
				this.stream = new LimitedStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class LimitedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long count;

		LimitedStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws BodyTooLargeException {
			this.count += n;
			if (this.count > this.limit) {
				throw new BodyTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
