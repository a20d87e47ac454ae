/**
 * End-to-end tests of {@code mend4j inspect}: its report on a real service's jar, and its suggested
 * agent arguments used as printed with the real agent jar in a forked JVM.
 */
package org.mend4j.tests.inspect;
