package org.mend4j.runtime.service;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * How to run one kind of service jar in a child JVM ({@link ServiceProcess}): the jar, how many
 * HTTP ports the service takes, and its command-line arguments for a model directory and those
 * ports, in the service's own syntax. Every service here answers demo-app's HTTP API on each port.
 * {@code ./mend4j demo} and the end-to-end tests start their services with these recipes.
 *
 * @param name what to call the service in logs and errors (and the log folder, {@code
 *     target/NAME-logs/})
 * @param jar the runnable jar
 * @param ports how many ports the service listens on
 * @param build how to build the jar, for the error when it is missing
 * @param args the service's arguments for a model directory and its ports
 */
public record ServiceLaunch(
    String name,
    Path jar,
    int ports,
    String build,
    BiFunction<Path, List<Integer>, List<String>> args) {

  /** demo-app: {@code java -jar mend4j-demo-app.jar --model DIR --port N}. */
  public static ServiceLaunch demoApp(Path jar) {
    return new ServiceLaunch(
        "demo-app",
        jar,
        1,
        "mvn -pl demo-app package",
        (model, ports) -> List.of("--model", model.toString(), "--port", ports.get(0).toString()));
  }

  /** The Spring Boot host: {@code java -jar mend4j-spring-app.jar --server.port=N --model=DIR}. */
  public static ServiceLaunch springApp(Path jar) {
    return new ServiceLaunch(
        "spring-app",
        jar,
        1,
        "mvn -pl demo-app,spring-app package",
        (model, ports) -> List.of("--server.port=" + ports.get(0), "--model=" + model));
  }

  /**
   * The plugin host with {@code copies} copies of demo-app, each in its own class loader on its own
   * port: {@code java -jar mend4j-plugin-host.jar --model=DIR --ports=N1,N2}.
   */
  public static ServiceLaunch pluginHost(Path jar, int copies) {
    return new ServiceLaunch(
        "plugin-host",
        jar,
        copies,
        "mvn -pl demo-app,plugin-host package",
        (model, ports) ->
            List.of(
                "--model=" + model,
                "--ports=" + ports.stream().map(String::valueOf).collect(Collectors.joining(","))));
  }
}
