/** demo-app as a black box: its runnable jar in a forked JVM, driven over loopback HTTP. */
package org.mend4j.tests.demoapp;
