package io.taskstream.platform;

/**
 * One thing wrong with one field of a request, listed in a 400 problem's {@code errors}.
 *
 * @param field the JSON field, query parameter or header
 * @param message what is wrong, for a person to read
 */
public record FieldProblem(String field, String message) {
}
