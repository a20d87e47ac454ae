/** The HTTP front of the service on the JDK's {@code com.sun.net.httpserver}. */
package org.mend4j.demoapp.http;
