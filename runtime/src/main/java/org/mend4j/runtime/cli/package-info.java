/**
 * The {@code mend4j} command line: one picocli command per job, each a thin shell over the library.
 */
package org.mend4j.runtime.cli;
