/**
 * Checks that generated documentation ({@code docs/configuration.md}) matches the code.
 */
package io.taskstream.docs;
