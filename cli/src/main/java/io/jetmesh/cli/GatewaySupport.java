package io.jetmesh.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Adds {@code jetmesh gateway} when the gateway module is on the classpath (it is optional so that worker-only
 * builds stay small).
 */
final class GatewaySupport {
  static final String COMMAND_CLASS = "io.jetmesh.gateway.GatewayCommand";

  private GatewaySupport() {}

  static void register(CommandLine cl) {
    try {
      Class<?> c = Class.forName(COMMAND_CLASS);
      Object command = c.getDeclaredConstructor().newInstance();
      if (command instanceof Callable<?>) {
        cl.addSubcommand("gateway", command);
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // gateway module not present in this build
    }
  }
}
