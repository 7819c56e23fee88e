/** Tests of the reliability scenarios' pure parts: the verdict, the table, the ports. */
package io.taskstream.tools.chaos;
