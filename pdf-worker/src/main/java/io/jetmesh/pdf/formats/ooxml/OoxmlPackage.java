package io.jetmesh.pdf.formats.ooxml;

import io.jetmesh.pdf.formats.FormatLimits;
import io.jetmesh.pdf.formats.LimitExceededException;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.w3c.dom.Document;

/**
 * An OOXML (OPC) package read straight from its ZIP: content types, relationships and parts, in either
 * Transitional or Strict namespaces. Every byte inflated counts against {@link FormatLimits}: the entry count and
 * the declared sizes are checked when the package opens, the real inflated size and compression ratio while parts
 * are read (a declared size can lie), so a ZIP bomb stops with {@link LimitExceededException} after at most the
 * limit. Not thread-safe; one per conversion.
 */
public final class OoxmlPackage implements Closeable {
  /** A relationship of a part: its type URI, resolved target part name (or URL when external). */
  public record Rel(String id, String type, String target, boolean external) {
    /** The type's last path segment ({@code image}, {@code hyperlink}, {@code slide}), equal in both namespaces. */
    public String kind() {
      int i = type.lastIndexOf('/');
      return i < 0 ? type : type.substring(i + 1);
    }
  }

  private final ZipFile zip;
  private final Map<String, ZipEntry> entries = new HashMap<>();
  private final Map<String, String> defaults = new HashMap<>();
  private final Map<String, String> overrides = new HashMap<>();
  private final Map<String, Map<String, Rel>> relsCache = new HashMap<>();
  private final FormatLimits limits;
  private long inflated;

  private OoxmlPackage(ZipFile zip, FormatLimits limits) {
    this.zip = zip;
    this.limits = limits;
  }

  /**
   * Opens the package and reads its content types.
   *
   * @throws LimitExceededException too many entries or too many declared bytes
   * @throws IOException not a ZIP, or damaged
   */
  public static OoxmlPackage open(Path file, FormatLimits limits) throws IOException {
    ZipFile zip = new ZipFile(file.toFile());
    OoxmlPackage p = new OoxmlPackage(zip, limits);
    try {
      p.index();
      p.readContentTypes();
    } catch (IOException | RuntimeException e) {
      p.close();
      throw e;
    }
    return p;
  }

  private void index() throws IOException {
    long declared = 0;
    int n = 0;
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      ZipEntry z = e.nextElement();
      if (++n > limits.maxZipEntries()) {
        throw new LimitExceededException("the package has more than " + limits.maxZipEntries()
            + " entries (max_zip_entries)");
      }
      if (z.getSize() > 0) {
        declared += z.getSize();
      }
      if (declared > limits.maxUncompressedBytes()) {
        throw new LimitExceededException("the package would inflate to more than " + limits.maxUncompressedBytes()
            + " bytes (max_uncompressed_size)");
      }
      entries.put(key(z.getName()), z);
    }
  }

  private void readContentTypes() throws IOException {
    if (!exists("[Content_Types].xml")) {
      throw new IOException("not an OOXML package: no [Content_Types].xml");
    }
    try (InputStream in = open("[Content_Types].xml")) {
      Xml.rootChildren(in, null, e -> {
        if (e.getLocalName().equals("Default")) {
          String ext = Xml.attr(e, "Extension");
          if (ext != null) {
            defaults.put(ext.toLowerCase(Locale.ROOT), Xml.attr(e, "ContentType"));
          }
        } else if (e.getLocalName().equals("Override")) {
          String part = Xml.attr(e, "PartName");
          if (part != null) {
            overrides.put(key(part), Xml.attr(e, "ContentType"));
          }
        }
      });
    }
  }

  private static String key(String partName) {
    String s = partName.replace('\\', '/');
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  public boolean exists(String partName) {
    return partName != null && entries.containsKey(key(partName));
  }

  /** The content type of a part, or null. */
  public String contentType(String partName) {
    String o = overrides.get(key(partName));
    if (o != null) {
      return o;
    }
    int dot = partName.lastIndexOf('.');
    return dot < 0 ? null : defaults.get(partName.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The package's main part ({@code word/document.xml}), from the root relationships, or null. */
  public String mainPart() throws IOException {
    for (Rel r : rels("").values()) {
      if (!r.external() && r.kind().equals("officeDocument") && exists(r.target())) {
        return r.target();
      }
    }
    return null;
  }

  /** The first part whose content type contains {@code fragment}, or null. */
  public String partOfType(String fragment) {
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (e.getValue() != null && e.getValue().contains(fragment)) {
        return e.getKey();
      }
    }
    return null;
  }

  /**
   * The relationships of a part by id ({@code ""} for the package's root relationships), targets resolved against
   * the part's folder. A part without relationships has none.
   */
  public Map<String, Rel> rels(String partName) throws IOException {
    String k = key(partName);
    Map<String, Rel> cached = relsCache.get(k);
    if (cached != null) {
      return cached;
    }
    String dir = k.contains("/") ? k.substring(0, k.lastIndexOf('/') + 1) : "";
    String file = k.substring(dir.length());
    String relsPart = k.isEmpty() ? "_rels/.rels" : dir + "_rels/" + file + ".rels";
    Map<String, Rel> out = new LinkedHashMap<>();
    if (exists(relsPart)) {
      Map<String, Rel> found = out;
      try (InputStream in = open(relsPart)) {
        Xml.rootChildren(in, "Relationship", r -> {
          String id = Xml.attr(r, "Id");
          String target = Xml.attr(r, "Target");
          String type = Xml.attr(r, "Type");
          if (id == null || target == null) {
            return;
          }
          boolean external = "External".equalsIgnoreCase(Xml.attr(r, "TargetMode"));
          found.put(id, new Rel(id, type == null ? "" : type, external ? target : resolve(dir, target), external));
        });
      }
    }
    out = Collections.unmodifiableMap(out);
    relsCache.put(k, out);
    return out;
  }

  /** Resolves a relative target ({@code ../media/image1.png}) against a folder ({@code word/}). */
  static String resolve(String dir, String target) {
    String t = target.replace('\\', '/');
    if (t.startsWith("/")) {
      return key(t);
    }
    try {
      String r = new URI(null, null, "/" + dir + t, null).normalize().getPath();
      return key(r);
    } catch (java.net.URISyntaxException e) {
      return key(dir + t);
    }
  }

  /** Parses a part into a DOM. */
  public Document dom(String partName) throws IOException {
    try (InputStream in = open(partName)) {
      return Xml.parse(in);
    }
  }

  /** The bytes of a part, at most {@code max}; null when the part does not exist. */
  public byte[] bytes(String partName, int max) throws IOException {
    if (!exists(partName)) {
      return null;
    }
    try (InputStream in = open(partName)) {
      return in.readNBytes(max);
    }
  }

  /** Opens a part for reading; its inflated bytes count against the limits. */
  public InputStream open(String partName) throws IOException {
    ZipEntry z = entries.get(key(partName));
    if (z == null) {
      throw new IOException("the package has no part " + partName);
    }
    long compressed = z.getCompressedSize();
    return new FilterInputStream(zip.getInputStream(z)) {
      long read;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          count(n);
        }
        return n;
      }

      private void count(int n) throws LimitExceededException {
        read += n;
        inflated += n;
        if (inflated > limits.maxUncompressedBytes()) {
          throw new LimitExceededException("the package inflates to more than " + limits.maxUncompressedBytes()
              + " bytes (max_uncompressed_size)");
        }
        if (read > (1 << 20) && compressed > 0 && read / (double) compressed > limits.maxCompressionRatio()) {
          throw new LimitExceededException("part " + partName + " inflates more than "
              + (long) limits.maxCompressionRatio() + " times its compressed size: a ZIP bomb");
        }
      }
    };
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
