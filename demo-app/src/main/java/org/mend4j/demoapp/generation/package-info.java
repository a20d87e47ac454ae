/** Token-by-token generation with a key/value cache: greedy or sampled with a temperature. */
package org.mend4j.demoapp.generation;
