package io.taskstream.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Requires a valid {@link UserId#HEADER} on every {@code /api/v1} call and hands the
 * caller to controllers as a {@link UserId} parameter.
 */
class IdentityInterceptor implements HandlerInterceptor, HandlerMethodArgumentResolver {

	private static final String ATTRIBUTE = UserId.class.getName();

	private final OperatorProperties operator;

	IdentityInterceptor(OperatorProperties operator) {
		this.operator = operator;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method && method.hasMethodAnnotation(OperatorOnly.class)) {
			checkOperator(request);
			return true;
		}
		String value = request.getHeader(UserId.HEADER);
		if (value == null || value.isBlank()) {
			throw Problems.unauthenticated("The " + UserId.HEADER + " header is required.");
		}
		if (!UserId.isValid(value)) {
			throw Problems.invalidRequest(List.of(new FieldProblem(UserId.HEADER,
					"must be 1-64 characters of letters, digits, '.', '_', '@' or '-'")));
		}
		request.setAttribute(ATTRIBUTE, new UserId(value));
		return true;
	}

	/** Operators authenticate with a bearer token of their own, never with a user id. */
	private void checkOperator(HttpServletRequest request) {
		String authorization = request.getHeader("Authorization");
		String expected = this.operator.token();
		boolean presented = authorization != null && authorization.startsWith("Bearer ");
		if (presented && expected != null && !expected.isBlank()
				&& MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
						authorization.substring(7).getBytes(StandardCharsets.UTF_8))) {
			return;
		}
		if (!presented && request.getHeader(UserId.HEADER) == null) {
			throw Problems.unauthenticated("This endpoint needs the operator token: Authorization: Bearer <token>.");
		}
		throw Problems.forbidden("This endpoint is for operators; it needs the operator token, not a user id.");
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == UserId.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
		Object user = webRequest.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		if (user == null) {
			throw new IllegalStateException("UserId parameter outside /api/v1: the identity interceptor did not run");
		}
		return user;
	}

}
