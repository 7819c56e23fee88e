package io.taskstream.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Registers the annotated configuration only when {@code taskstream.roles} contains the
 * role, so a process that runs one role has only that role's beans, endpoints and
 * subscriptions.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnRoleCondition.class)
public @interface ConditionalOnRole {

	/** The role's name, one of {@link TaskstreamProperties#KNOWN_ROLES}. */
	String value();

}
