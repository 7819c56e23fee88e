package io.taskstream.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Hands the caller that the security chain authenticated to controllers as a
 * {@link UserId} parameter, and answers 403 when a caller without the operator authority
 * reaches an {@link OperatorOnly} endpoint. Authentication itself (401) happened before,
 * in {@link SecurityConfiguration}.
 */
class CallerResolver implements HandlerInterceptor, HandlerMethodArgumentResolver {

	private final IdentityProperties identity;

	CallerResolver(IdentityProperties identity) {
		this.identity = identity;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method && method.hasMethodAnnotation(OperatorOnly.class)
				&& !isOperator(SecurityContextHolder.getContext().getAuthentication())) {
			throw Problems.forbidden("This endpoint is for operators: it needs a token with the scope '"
					+ this.identity.operatorScope() + "' or the role '" + this.identity.operatorRole() + "' in '"
					+ this.identity.rolesClaim() + "'.");
		}
		return true;
	}

	private static boolean isOperator(Authentication authentication) {
		return authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch((authority) -> CallerAuthorities.OPERATOR.equals(authority.getAuthority()));
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == UserId.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
		if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
			// the token's name is its user claim, which UserClaimValidator checked
			return new UserId(token.getName());
		}
		throw new IllegalStateException("UserId parameter outside /api/v1: no verified token for this request");
	}

}
