/**
 * A GPT-2 text-generation service on Spring Boot, written as an ordinary Spring team would: a
 * configuration that loads the model named by {@code --model}, a REST controller for {@code POST
 * /generate} and {@code GET /health}, and an advice that turns refusals into demo-app's JSON error
 * answers. Inference is the team's library (demo-app's model, generation and request code); nothing
 * here knows that model editing exists.
 */
package org.mend4j.springapp;
