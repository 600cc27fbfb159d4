package io.jetmesh.cli.support;

/**
 * The logging set-up of every jetmesh executable, read by this module's {@code logback.xml} (stderr only; stdout
 * carries a command's result). Call {@link #init} first thing in {@code main}, before any logger exists: logback
 * reads these levels once, when the first logger is created.
 *
 * <ul>
 *   <li>{@code JETMESH_LOG_LEVEL} (environment or system property) wins; otherwise the executable's default: one-shot
 *       commands print results, not job lines ({@link #ONE_SHOT}, WARN), long-running ones (worker, gateway, dev)
 *       log their jobs ({@link #LONG_RUNNING}, INFO).</li>
 *   <li>Library chatter a user cannot act on (PDFBox/FontBox font fallback, DJL's "no CUDA" notice) is shown only
 *       when the user asked for DEBUG or TRACE ({@code JETMESH_LIBRARY_LOG_LEVEL}).</li>
 * </ul>
 */
public final class CliLogging {
  /** The default level of commands that print a result and end. */
  public static final String ONE_SHOT = "WARN";
  /** The default level of commands that run until stopped (worker, gateway, dev). */
  public static final String LONG_RUNNING = "INFO";

  private CliLogging() {}

  /** Sets the levels {@code logback.xml} reads, unless the user set them; {@code defaultLevel} when they did not. */
  public static void init(String defaultLevel) {
    setIfAbsent("JETMESH_LOG_LEVEL", defaultLevel);
    String level = System.getProperty("JETMESH_LOG_LEVEL", System.getenv("JETMESH_LOG_LEVEL"));
    if (level != null && (level.equalsIgnoreCase("DEBUG") || level.equalsIgnoreCase("TRACE"))) {
      setIfAbsent("JETMESH_LIBRARY_LOG_LEVEL", "DEBUG");
    }
  }

  private static void setIfAbsent(String name, String value) {
    if (System.getProperty(name) == null && System.getenv(name) == null) {
      System.setProperty(name, value);
    }
  }
}
