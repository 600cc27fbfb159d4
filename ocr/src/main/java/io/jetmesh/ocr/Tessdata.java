package io.jetmesh.ocr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds {@code <lang>.traineddata} files and hands Tesseract one directory holding all languages of a request.
 *
 * <p>Search order: the configured directory, {@code TESSDATA_PREFIX} (the directory itself or its {@code tessdata}
 * child), the eng/osd data bundled in the tess4j jar (extracted into the cache), then Debian's
 * {@code /usr/share/tesseract-ocr/{5,4.00}/tessdata}. Tesseract takes one data path, so when a request mixes
 * directories (eng bundled + deu from Debian) a directory of symbolic links is made in the cache.
 */
final class Tessdata {
  private static final List<String> BUNDLED = List.of("eng", "osd");
  private static final List<Path> SYSTEM_DIRS = List.of(
      Path.of("/usr/share/tesseract-ocr/5/tessdata"), Path.of("/usr/share/tesseract-ocr/4.00/tessdata"),
      Path.of("/usr/share/tessdata"), Path.of("/usr/local/share/tessdata"));

  private final List<Path> dirs;
  private final Path cacheDir;

  Tessdata(OcrSettings settings) throws OcrException {
    this.cacheDir = settings.cacheDir();
    List<Path> d = new ArrayList<>();
    settings.tessdataDir().ifPresent(d::add);
    String prefix = System.getenv("TESSDATA_PREFIX");
    if (prefix != null && !prefix.isBlank()) {
      d.add(Path.of(prefix));
      d.add(Path.of(prefix, "tessdata"));
    }
    d.add(extractBundled());
    d.addAll(SYSTEM_DIRS);
    this.dirs = List.copyOf(d);
  }

  /** Searched directories, in order. */
  List<Path> searchPath() {
    return dirs;
  }

  /** Languages available from any searched directory. */
  Set<String> available() {
    Set<String> langs = new java.util.TreeSet<>();
    for (Path dir : dirs) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".traineddata"))
              .forEach(n -> langs.add(n.substring(0, n.length() - ".traineddata".length())));
        } catch (IOException ignored) {
          // unreadable directory: skipped like a missing one
        }
      }
    }
    return langs;
  }

  /**
   * Returns a data directory containing every language of {@code languages} ({@code eng+deu}).
   *
   * @throws OcrException (UNSUPPORTED) naming the missing languages and where they were looked for
   */
  Path dataPathFor(String languages) throws OcrException {
    Map<String, Path> found = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String lang : new LinkedHashSet<>(List.of(languages.split("\\+")))) {
      Path f = find(lang);
      if (f == null) {
        missing.add(lang);
      } else {
        found.put(lang, f);
      }
    }
    if (!missing.isEmpty()) {
      throw new OcrException(OcrException.Reason.UNSUPPORTED, "no Tesseract traineddata for language(s) "
          + missing + " (looked in " + dirs.stream().filter(Files::isDirectory).toList() + "; available: "
          + available() + "); install e.g. Debian's tesseract-ocr-" + missing.get(0)
          + " or set the tessdata directory", null);
    }
    Set<Path> parents = new LinkedHashSet<>();
    found.values().forEach(p -> parents.add(p.getParent()));
    if (parents.size() == 1) {
      return parents.iterator().next();
    }
    return linkDir(languages, found);
  }

  /** Like {@link #dataPathFor} for one language, or null when it is not installed. */
  Path dataPathOrNull(String lang) {
    Path f = find(lang);
    return f == null ? null : f.getParent();
  }

  private Path find(String lang) {
    for (Path dir : dirs) {
      Path f = dir.resolve(lang + ".traineddata");
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    return null;
  }

  private synchronized Path linkDir(String languages, Map<String, Path> found) throws OcrException {
    Path dir = cacheDir.resolve("tessdata-mixed").resolve(languages.replace('+', '_'));
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, Path> e : found.entrySet()) {
        Path link = dir.resolve(e.getKey() + ".traineddata");
        Path target = e.getValue().toAbsolutePath();
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
          continue;
        }
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
      }
      return dir;
    } catch (IOException e) {
      throw new OcrException(OcrException.Reason.ENGINE_FAILURE, "cannot link traineddata into " + dir, e);
    }
  }

  /** Copies tess4j's bundled eng/osd traineddata into the cache (once, atomically per file). */
  private Path extractBundled() throws OcrException {
    Path dir = cacheDir.resolve("tessdata-tess4j");
    try {
      Files.createDirectories(dir);
      for (String lang : BUNDLED) {
        Path target = dir.resolve(lang + ".traineddata");
        if (Files.isRegularFile(target)) {
          continue;
        }
        try (InputStream in = Tessdata.class.getResourceAsStream("/tessdata/" + lang + ".traineddata")) {
          if (in == null) {
            continue; // tess4j jar without data: the system directories may still have it
          }
          Path tmp = Files.createTempFile(dir, lang, ".tmp");
          Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new OcrException(OcrException.Reason.ENGINE_FAILURE, "cannot extract bundled tessdata into " + dir, e);
    }
  }
}
