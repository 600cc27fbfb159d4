package io.jetmesh.runtime;

/**
 * Process-wide defaults every jetmesh process sets before any module loads: model libraries (DJL) work offline and
 * report nothing home. Nothing may be downloaded at run time; without these, DJL probes a cloud metadata address
 * and its CDN. Explicit settings (system properties or environment) win. Log levels are
 * {@link io.jetmesh.cli.support.CliLogging}'s.
 */
public final class RuntimeDefaults {
  private RuntimeDefaults() {}

  public static void apply() {
    setIfAbsent("ai.djl.offline", "DJL_OFFLINE", "true");
    setIfAbsent("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
  }

  private static void setIfAbsent(String property, String env, String value) {
    if (System.getProperty(property) == null && System.getenv(env) == null) {
      System.setProperty(property, value);
    }
  }
}
