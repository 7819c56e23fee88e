package io.taskstream.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint for operators (rebuild, replay, redrive, dead letters): its caller's
 * token must carry the operator scope or role ({@code taskstream.identity.operator-*}); a
 * user's token gets 403.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OperatorOnly {

}
