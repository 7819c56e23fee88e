/**
 * Tests of the developer tools as a whole: the scripts in {@code scripts/}.
 */
package io.taskstream.tools;
