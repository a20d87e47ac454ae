/**
 * What the agent could instrument in a service, read from its class files with ASM and never loaded
 * or run: DJL blocks with weights and how they compute, TorchScript loading sites, HTTP entry
 * points, and the agent arguments that follow.
 */
package org.mend4j.runtime.inspect;
