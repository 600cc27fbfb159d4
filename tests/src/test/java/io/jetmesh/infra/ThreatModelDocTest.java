package io.jetmesh.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/OPERATIONS.md's threat model names, for every point, the test that attacks it. This test fails when a named
 * test does not exist, and when an attack test of {@link NatsAttackTest} is not named in the threat model.
 */
class ThreatModelDocTest {
  static final Pattern ROW = Pattern.compile("^\\| (T\\d+) \\|.*\\|([^|]*)\\|\\s*$");
  static final Pattern TEST = Pattern.compile("`(\\w+)#(\\w+)`");
  static final List<String> PACKAGES = List.of("io.jetmesh.infra.", "io.jetmesh.protocol.", "io.jetmesh.pdf.",
      "io.jetmesh.gateway.", "io.jetmesh.tests.");

  @Test
  void everyPointOfTheThreatModelNamesAnExistingAttackTest() throws Exception {
    String doc = Files.readString(InfraFixtures.repoRoot().resolve("docs/OPERATIONS.md"));
    int start = doc.indexOf("### Threat model");
    assertThat(start).as("docs/OPERATIONS.md has a threat model").isPositive();
    String model = doc.substring(start, doc.indexOf("\n## ", start));
    List<String> named = new ArrayList<>();
    int points = 0;
    for (String line : model.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (!row.matches()) {
        continue;
      }
      points++;
      Matcher t = TEST.matcher(row.group(2));
      int tests = 0;
      while (t.find()) {
        tests++;
        named.add(t.group(1) + "#" + t.group(2));
        assertThat(testMethod(t.group(1), t.group(2))).as(row.group(1) + " names " + t.group()).isTrue();
      }
      assertThat(tests).as(row.group(1) + " names at least one test").isPositive();
    }
    assertThat(points).isGreaterThanOrEqualTo(10);
    for (Method m : NatsAttackTest.class.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Test.class)) {
        assertThat(named).as("the threat model cites NatsAttackTest#" + m.getName()).contains("NatsAttackTest#" + m.getName());
      }
    }
    assertThat(model).contains("What a compromised client can still do");
  }

  /** Whether {@code cls#method} is a test method; classes of other modules are found by their source file. */
  static boolean testMethod(String cls, String method) throws Exception {
    for (String pkg : PACKAGES) {
      try {
        Class<?> c = Class.forName(pkg + cls);
        return Arrays.stream(c.getDeclaredMethods()).anyMatch(m -> m.getName().equals(method) && m.isAnnotationPresent(Test.class));
      } catch (ClassNotFoundException e) {
        // next package
      }
    }
    try (var files = Files.walk(InfraFixtures.repoRoot(), 12)) {
      return files.filter(p -> p.getFileName().toString().equals(cls + ".java") && p.toString().contains("src/test"))
          .anyMatch(p -> {
            try {
              return Pattern.compile("@Test\\s+(?:@\\w+(?:\\([^)]*\\))?\\s+)*void " + method + "\\(")
                  .matcher(Files.readString(p)).find();
            } catch (java.io.IOException e) {
              return false;
            }
          });
    }
  }
}
