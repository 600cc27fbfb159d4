package io.jetmesh.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The software version of this build (e.g. {@code 0.1.0-SNAPSHOT}), defined once: the POM's project version, written
 * into {@code jetmesh-version.properties} by resource filtering. Not the wire protocol's version ({@link Protocol#VERSION}).
 */
public final class JetmeshVersion {
  private static final String VERSION = read();

  private JetmeshVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = JetmeshVersion.class.getResourceAsStream("jetmesh-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown").strip();
      return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
