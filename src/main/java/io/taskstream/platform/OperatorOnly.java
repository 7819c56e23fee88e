package io.taskstream.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint for operators (rebuild, replay, redrive, dead letters): it needs the
 * operator token ({@code Authorization: Bearer <token>}) instead of a user identity, and
 * a user calling it gets 403.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OperatorOnly {

}
