package io.taskstream.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What a verified token lets its caller do: {@code SCOPE_x} for each scope (the
 * {@code scope} claim of OAuth 2.0, Entra ID's {@code scp}), and {@link #OPERATOR} when
 * the token carries the operator scope or, in the configured roles claim, the operator
 * role.
 */
final class CallerAuthorities implements Converter<Jwt, Collection<GrantedAuthority>> {

	/** The authority of operators ({@link OperatorOnly} endpoints). */
	static final String OPERATOR = "TASKSTREAM_OPERATOR";

	private final IdentityProperties identity;

	CallerAuthorities(IdentityProperties identity) {
		this.identity = identity;
	}

	@Override
	public Collection<GrantedAuthority> convert(Jwt jwt) {
		List<String> scopes = new ArrayList<>(values(jwt.getClaims().get("scope")));
		scopes.addAll(values(jwt.getClaims().get("scp")));
		List<GrantedAuthority> authorities = new ArrayList<>();
		scopes.forEach((scope) -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
		if (scopes.contains(this.identity.operatorScope())
				|| values(jwt.getClaims().get(this.identity.rolesClaim())).contains(this.identity.operatorRole())) {
			authorities.add(new SimpleGrantedAuthority(OPERATOR));
		}
		return authorities;
	}

	/**
	 * A claim as a list: issuers send scopes and roles as a list or one space-separated
	 * string.
	 */
	private static List<String> values(Object claim) {
		if (claim instanceof String text) {
			return List.of(text.trim().split("\\s+"));
		}
		if (claim instanceof Collection<?> items) {
			return items.stream().filter(String.class::isInstance).map(String.class::cast).toList();
		}
		return List.of();
	}

}
