package org.mend4j.springapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The service's entry point: {@code java -jar mend4j-spring-app.jar --server.port=N --model=DIR}.
 */
@SpringBootApplication
public class SpringApp {

  /**
   * Starts the service.
   *
   * @param args Spring Boot's command line ({@code --model=DIR}, {@code --server.port=N}, ...)
   */
  public static void main(String[] args) {
    // The service reads only local files: DJL must never reach for the network (engine
    // downloads, usage reporting), whatever the command line says.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    SpringApplication.run(SpringApp.class, args);
  }
}
