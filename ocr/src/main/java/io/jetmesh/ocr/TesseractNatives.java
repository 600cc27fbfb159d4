package io.jetmesh.ocr;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes tess4j use the tesseract 5.5.2 / leptonica 1.87 libraries from the {@code org.bytedeco} jars on the
 * classpath instead of the system's (Debian 12's leptonica 1.82 is too old for tess4j 5.20).
 *
 * <p>The .so files are copied out of the jars into {@code <cacheDir>/tesseract-5.5.2-1.5.13/} (atomically: copies
 * go to a temp dir that is then renamed, so concurrent JVMs never see a half-written library), and the names that
 * tess4j and lept4j ask JNA for ({@code libtesseract.so}, {@code libleptonica.so}) are linked to them. libtesseract's
 * RUNPATH is {@code $ORIGIN}, so it finds leptonica beside it. The directory is registered with JNA
 * ({@link NativeLibrary#addSearchPath}) and {@code jna.library.path} before any tess4j class is loaded.
 *
 * <p>OpenMP: these builds link no libgomp (checked with {@code readelf -d}: NEEDED is libleptonica, libstdc++, libm,
 * libgcc_s, libc), so Tesseract's OpenMP busy-waiting, which makes Debian's tesseract 6x slower on 2 cores unless
 * {@code OMP_THREAD_LIMIT=1}, cannot happen here. The variable is harmless and still set by our launch scripts.
 */
final class TesseractNatives {
  private static final Logger LOG = LoggerFactory.getLogger(TesseractNatives.class);
  static final String BUILD = "5.5.2-1.5.13";
  private static final String TESS_RES = "/org/bytedeco/tesseract/linux-x86_64/libtesseract.so.5.5";
  private static final String LEPT_RES = "/org/bytedeco/leptonica/linux-x86_64/libleptonica.so.6";

  private static Path loadedDir;
  private static String version;

  private TesseractNatives() {}

  /** Extracts and registers the natives once per JVM; returns the tesseract version. */
  static synchronized String ensureLoaded(Path cacheDir) throws OcrException {
    if (version != null) {
      return version;
    }
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
        || !System.getProperty("os.arch", "").matches("amd64|x86_64")) {
      throw new OcrException(OcrException.Reason.UNSUPPORTED, "tesseract natives are bundled for linux-x86_64 only, "
          + "this is " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"), null);
    }
    try {
      Path dir = extract(cacheDir.resolve("tesseract-" + BUILD));
      NativeLibrary.addSearchPath("tesseract", dir.toString());
      NativeLibrary.addSearchPath("leptonica", dir.toString());
      String old = System.getProperty("jna.library.path");
      System.setProperty("jna.library.path", old == null || old.isBlank() ? dir.toString() : dir + ":" + old);
      loadedDir = dir;
      version = net.sourceforge.tess4j.TessAPI1.TessVersion();
      LOG.info("tesseract {} loaded from {}", version, dir);
      return version;
    } catch (IOException e) {
      throw new OcrException(OcrException.Reason.ENGINE_FAILURE,
          "cannot extract tesseract natives into " + cacheDir + ": " + e.getMessage(), e);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new OcrException(OcrException.Reason.ENGINE_FAILURE,
          "cannot load tesseract natives from " + loadedDir + ": " + e.getMessage(), e);
    }
  }

  private static Path extract(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve("libtesseract.so")) && Files.isRegularFile(dir.resolve("libleptonica.so"))) {
      return dir;
    }
    Files.createDirectories(dir.getParent());
    Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".tmp");
    copy(LEPT_RES, tmp.resolve("libleptonica.so.6"));
    copy(TESS_RES, tmp.resolve("libtesseract.so.5.5"));
    Files.createSymbolicLink(tmp.resolve("libleptonica.so"), Path.of("libleptonica.so.6"));
    Files.createSymbolicLink(tmp.resolve("libtesseract.so"), Path.of("libtesseract.so.5.5"));
    try {
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
      // another JVM won the race (or a stale partial dir exists): keep theirs if complete
      deleteRecursively(tmp);
      if (!Files.isRegularFile(dir.resolve("libtesseract.so"))) {
        throw new IOException("incomplete native directory " + dir + "; delete it and retry", e);
      }
    }
    return dir;
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = TesseractNatives.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing classpath resource " + resource
            + " (org.bytedeco tesseract/leptonica " + BUILD + " linux-x86_64 jars)");
      }
      Files.copy(in, target);
    }
  }

  static void deleteRecursively(Path p) {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
    } catch (IOException ignored) {
      // best effort cleanup of a temp dir
    }
  }
}
