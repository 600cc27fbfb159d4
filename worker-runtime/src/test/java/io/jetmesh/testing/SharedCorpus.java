package io.jetmesh.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared evaluation data beside the repository ({@code ../shared}: corpora, scorers, schemas), which a clean clone
 * does not have. Tests that need it call {@link #require}, which skips them with a message on stdout (surefire shows
 * only a skip count otherwise), so a run without {@code ../shared} says what it did not check. The suite's own
 * coverage never depends on it: every behaviour also has generated inputs.
 *
 * <p>Surefire passes {@code -Djetmesh.shared.dir=<root>/../shared} (parent pom); a test started elsewhere falls back
 * to {@code ../../shared}, which is right for a module directory.
 */
public final class SharedCorpus {
  private SharedCorpus() {}

  /** The shared directory, whether or not it exists. */
  public static Path dir() {
    return Path.of(System.getProperty("jetmesh.shared.dir", "../../shared"));
  }

  /** Whether {@code relative} exists under the shared directory. */
  public static boolean has(String relative) {
    return Files.exists(dir().resolve(relative));
  }

  /**
   * {@code ../shared/<relative>}, or the test is skipped with "SKIPPED (no ../shared/<relative>): <what>" printed.
   *
   * @param what what the skipped test would have checked, e.g. "OCR of three real receipt JPEGs"
   */
  public static Path require(String relative, String what) {
    Path p = dir().resolve(relative);
    if (!Files.exists(p)) {
      String msg = "SKIPPED (no ../shared/" + relative + " at " + p.toAbsolutePath().normalize() + "): " + what;
      System.out.println(msg);
      Assumptions.abort(msg);
    }
    return p;
  }
}
