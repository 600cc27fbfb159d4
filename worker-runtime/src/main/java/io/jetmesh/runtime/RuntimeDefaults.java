package io.jetmesh.runtime;

/**
 * Process-wide defaults every jetmesh process sets before any module loads: model libraries (DJL) work offline and
 * report nothing home. Nothing may be downloaded at run time; without these, DJL probes a cloud metadata address
 * and its CDN. Explicit settings (system properties or environment) win.
 */
public final class RuntimeDefaults {
  private RuntimeDefaults() {}

  public static void apply() {
    setIfAbsent("ai.djl.offline", "DJL_OFFLINE", "true");
    setIfAbsent("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
    // logback.xml: library chatter (font fallback, no-CUDA notices) only when the user asked for DEBUG
    String level = System.getProperty("JETMESH_LOG_LEVEL", System.getenv("JETMESH_LOG_LEVEL"));
    if (level != null && (level.equalsIgnoreCase("DEBUG") || level.equalsIgnoreCase("TRACE"))) {
      setIfAbsent("JETMESH_LIBRARY_LOG_LEVEL", "JETMESH_LIBRARY_LOG_LEVEL", "DEBUG");
    }
  }

  /**
   * The log level of a jetmesh process unless JETMESH_LOG_LEVEL says otherwise: set before logging starts, so
   * one-shot commands print results, not job lines ({@code WARN}), and long-running ones log their jobs ({@code INFO}).
   */
  public static void defaultLogLevel(String level) {
    setIfAbsent("JETMESH_LOG_LEVEL", "JETMESH_LOG_LEVEL", level);
  }

  private static void setIfAbsent(String property, String env, String value) {
    if (System.getProperty(property) == null && System.getenv(env) == null) {
      System.setProperty(property, value);
    }
  }
}
