package io.jetmesh.tests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;

/**
 * Damaged PDFs of the kinds real corpora hold (qpdf's and PDFBox's regression files, unstructured's failing files),
 * generated so that the suite needs no {@code ../shared}: broken and looping cross-reference tables, objects and
 * streams with lying lengths or unknown filters, page trees that loop or lie about their size, content streams that
 * never end their state, images and fonts whose data is garbage or a decompression bomb, bad encryption, and
 * looping outlines and forms. Each case is a small, syntactically plausible file, so readers get past the header and
 * meet the damage where it sits in real files. Deterministic.
 */
final class DamagedPdfs {
  private DamagedPdfs() {}

  /** name -> bytes, about 70 cases. */
  static Map<String, byte[]> all() {
    Map<String, byte[]> c = new LinkedHashMap<>();
    String text = "BT /F1 12 Tf 72 700 Td (A damaged document) Tj ET";
    byte[] good = new Pdf().page(text).bytes();

    // ---- cross-reference table and trailer
    c.put("xref-startxref-garbage", replaceLast(good, "startxref\n", "startxref\nnot-a-number\n%"));
    c.put("xref-startxref-past-eof", setStartxref(good, good.length * 10L));
    c.put("xref-startxref-negative", setStartxref(good, -42));
    c.put("xref-offsets-shifted", new Pdf().page(text).xrefShift(7).bytes());
    c.put("xref-offsets-zero", new Pdf().page(text).xrefShift(Integer.MIN_VALUE).bytes());
    c.put("xref-missing", cutFrom(good, "xref\n"));
    c.put("xref-wrong-count", replaceFirst(good, "xref\n0 6", "xref\n0 60"));
    c.put("xref-non-digit-entries", replaceFirst(good, "0000000015 00000 n", "00000000x5 0000z n"));
    c.put("xref-no-space", replaceFirst(good, "xref\n0 6\n", "xref0 6\n"));
    c.put("trailer-without-root", replaceFirst(good, "/Root 1 0 R", ""));
    c.put("trailer-root-missing-object", replaceFirst(good, "/Root 1 0 R", "/Root 99 0 R"));
    c.put("trailer-root-not-a-dictionary", new Pdf().page(text).trailerExtra("").rootOverride("(a string)").bytes());
    c.put("xref-prev-points-to-itself", new Pdf().page(text).prevSelf().bytes());
    c.put("xref-after-eof-garbage", concat(good, "\n%%EOF\n1 0 obj << /Type /Catalog /Pages 77 0 R >> endobj\n"));
    c.put("xref-truncated-in-table", cutAt(good, indexOf(good, "xref\n") + 30));
    c.put("xref-stream-bad-widths", xrefStream("/W [1 99 1]"));
    c.put("xref-stream-zero-widths", xrefStream("/W [0 0 0]"));
    c.put("xref-stream-index-overflow", xrefStream("/W [1 2 1] /Index [2147483640 20]"));

    // ---- objects
    c.put("object-without-endobj", replaceFirst(good, "endobj", ""));
    c.put("object-number-huge", new Pdf().page(text).extraObject("2147483647 0 obj << /A 1 >> endobj").bytes());
    c.put("object-references-itself", new Pdf().page(text).pageExtra("/Rotate 7 0 R").obj(7, "7 0 R").bytes());
    c.put("dictionary-unterminated", replaceFirst(good, "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Catalog /Pages 2 0 R /X << /Y"));
    c.put("string-unterminated", new Pdf().page("BT /F1 12 Tf 72 700 Td (never closed Tj ET").bytes());
    c.put("hex-string-garbage", new Pdf().page("BT /F1 12 Tf 72 700 Td <4G6Z7> Tj ET").bytes());
    c.put("name-with-nul-escape", new Pdf().page(text).pageExtra("/A#00B#zz 1").bytes());
    c.put("number-overflow", new Pdf().page("BT /F1 1e999999 Tf 99999999999999999999 7 Td (x) Tj ET").bytes());

    // ---- streams
    c.put("stream-length-past-eof", new Pdf().page(text).contentLength("99999999").bytes());
    c.put("stream-length-negative", new Pdf().page(text).contentLength("-5").bytes());
    c.put("stream-length-missing-object", new Pdf().page(text).contentLength("88 0 R").bytes());
    c.put("stream-without-endstream", replaceFirst(good, "endstream", ""));
    c.put("stream-flate-corrupt", new Pdf().pageRaw("/Filter /FlateDecode", "x\u009c\u00ff\u00fe\u00fd garbage that is not deflate").bytes());
    c.put("stream-unknown-filter", new Pdf().pageRaw("/Filter /NoSuchDecode", text).bytes());
    c.put("stream-decode-parms-without-filter", new Pdf().pageRaw("/DecodeParms << /Predictor 12 /Columns 4 >>", text).bytes());
    c.put("stream-predictor-zero-columns", new Pdf().pageRaw("/Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns 0 >>",
        latin1(deflate(text.getBytes(StandardCharsets.ISO_8859_1)))).bytes());
    c.put("stream-nested-flate-bomb", new Pdf().pageRaw("/Filter [/FlateDecode /FlateDecode /FlateDecode]", latin1(nestedBomb(3))).bytes());
    c.put("stream-ascii85-invalid", new Pdf().pageRaw("/Filter /ASCII85Decode", "<~ \u00ff\u00fe zzzz vvvv ~~ not base85").bytes());
    c.put("stream-asciihex-invalid", new Pdf().pageRaw("/Filter /ASCIIHexDecode", "4G 6Z QQ 7").bytes());
    c.put("stream-runlength-bomb", new Pdf().pageRaw("/Filter /RunLengthDecode", latin1(runLengthBomb(200_000))).bytes());
    c.put("stream-lzw-garbage", new Pdf().pageRaw("/Filter /LZWDecode", latin1(pseudoRandom(4096, 11))).bytes());

    // ---- page tree
    c.put("pages-kids-loop", new Pdf().pagesOverride("<< /Type /Pages /Kids [2 0 R] /Count 1 >>").bytes());
    c.put("pages-missing", replaceFirst(good, "/Pages 2 0 R", ""));
    c.put("pages-count-a-billion", new Pdf().pagesOverride("<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>").page(text).bytes());
    c.put("pages-kids-not-dictionaries", new Pdf().pagesOverride("<< /Type /Pages /Kids [1 (two) /three 4.5 null] /Count 5 >>").bytes());
    c.put("pages-kid-is-the-catalog", new Pdf().pagesOverride("<< /Type /Pages /Kids [1 0 R] /Count 1 >>").bytes());
    c.put("page-without-mediabox", new Pdf().mediaBox(null).page(text).bytes());
    c.put("page-mediabox-garbage", new Pdf().mediaBox("[(a) /b null 1e40]").page(text).bytes());
    c.put("page-mediabox-empty", new Pdf().mediaBox("[0 0 0 0]").page(text).bytes());
    c.put("page-parent-loop", new Pdf().page(text).pageExtra("/Parent 3 0 R").bytes());
    c.put("page-resources-not-a-dictionary", new Pdf().resources("[1 2 3]").page(text).bytes());

    // ---- content streams
    c.put("content-unbalanced-save-100k", new Pdf().page("q ".repeat(100_000) + text).bytes());
    c.put("content-text-object-never-ends", new Pdf().page("BT /F1 12 Tf 72 700 Td (open) Tj BT BT BT (x) Tj").bytes());
    c.put("content-operators-missing-operands", new Pdf().page("Tf Td Tj cm re f Do TJ ' \" gs sh").bytes());
    c.put("content-font-not-in-resources", new Pdf().page("BT /NoSuchFont 12 Tf 72 700 Td (x) Tj ET").bytes());
    c.put("content-xobject-not-in-resources", new Pdf().page("q 100 0 0 100 0 0 cm /NoSuchImage Do Q").bytes());
    c.put("content-form-draws-itself", new Pdf().resources("<< /XObject << /X1 7 0 R >> >>").page("/X1 Do")
        .obj(7, "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 7 0 R >> >> /Length 6 >>\nstream\n/X1 Do\nendstream").bytes());
    c.put("content-200k-operators", new Pdf().page("0 0 m 1 1 l S\n".repeat(200_000 / 4)).bytes());
    c.put("content-inline-image-garbage", new Pdf().page("q 10 0 0 10 0 0 cm BI /W 100 /H 100 /BPC 8 /CS /RGB ID \u00ff\u00fe\u00fd EI Q").bytes());
    c.put("content-inline-image-huge", new Pdf().page("q BI /W 200000 /H 200000 /BPC 8 /CS /G ID x EI Q").bytes());

    // ---- images
    c.put("image-zero-width", image("/Width 0 /Height 10 /BitsPerComponent 8 /ColorSpace /DeviceGray", "x"));
    c.put("image-dimension-bomb", image("/Width 100000 /Height 100000 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode",
        latin1(deflate(new byte[1 << 16]))));
    c.put("image-bits-per-component-7", image("/Width 10 /Height 10 /BitsPerComponent 7 /ColorSpace /DeviceGray", "x".repeat(100)));
    c.put("image-dct-garbage", image("/Width 64 /Height 64 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /DCTDecode",
        "\u00ff\u00d8\u00ff\u00e0 not really a jpeg"));
    c.put("image-dct-truncated", image("/Width 64 /Height 64 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode",
        latin1(truncatedJpeg())));
    c.put("image-jpx-garbage", image("/Width 64 /Height 64 /Filter /JPXDecode", "\u0000\u0000\u0000\u000cjP  garbage"));
    c.put("image-jbig2-garbage", image("/Width 64 /Height 64 /BitsPerComponent 1 /ImageMask true /Filter /JBIG2Decode", "\u0097JB2\r\n garbage"));
    c.put("image-ccitt-garbage", image("/Width 1728 /Height 2200 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode "
        + "/DecodeParms << /K -1 /Columns 1728 >>", latin1(pseudoRandom(2048, 5))));
    c.put("image-indexed-short-lookup", image("/Width 10 /Height 10 /BitsPerComponent 8 /ColorSpace [/Indexed /DeviceRGB 255 <00>]",
        "\u00ff".repeat(100)));
    c.put("image-iccbased-garbage-profile", new Pdf().resources("<< /XObject << /Im1 7 0 R >> >>").page("q 100 0 0 100 0 0 cm /Im1 Do Q")
        .obj(7, "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /BitsPerComponent 8 /ColorSpace [/ICCBased 8 0 R] /Length 12 >>\n"
            + "stream\n" + "\u0080".repeat(12) + "\nendstream")
        .obj(8, "<< /N 3 /Length 20 >>\nstream\nnot an icc profile!!\nendstream").bytes());
    c.put("image-smask-is-itself", new Pdf().resources("<< /XObject << /Im1 7 0 R >> >>").page("q 100 0 0 100 0 0 cm /Im1 Do Q")
        .obj(7, "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /BitsPerComponent 8 /ColorSpace /DeviceGray /SMask 7 0 R /Length 4 >>\n"
            + "stream\nabcd\nendstream").bytes());

    // ---- fonts
    c.put("font-truetype-program-garbage", font("<< /Type /Font /Subtype /TrueType /BaseFont /Broken /FirstChar 32 /LastChar 126 "
        + "/Widths [] /FontDescriptor 8 0 R >>", "<< /Type /FontDescriptor /FontName /Broken /Flags 32 /FontBBox [0 0 1000 1000] "
        + "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 9 0 R >>",
        "<< /Length 64 /Length1 999999 >>\nstream\n" + latin1(pseudoRandom(64, 3)) + "\nendstream"));
    c.put("font-type1-program-garbage", font("<< /Type /Font /Subtype /Type1 /BaseFont /Broken1 /FontDescriptor 8 0 R >>",
        "<< /Type /FontDescriptor /FontName /Broken1 /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 "
            + "/Descent -200 /CapHeight 700 /StemV 80 /FontFile 9 0 R >>",
        "<< /Length 40 /Length1 20 /Length2 9999 /Length3 0 >>\nstream\n%!PS-AdobeFont-1.0 eexec \u00ff\u00fe\u00fd\u00fc\u00fb\u00fa\u00f9\u00f8\nendstream"));
    c.put("font-type0-without-descendant", font("<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [] >>", null, null));
    c.put("font-tounicode-garbage", font("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 8 0 R >>",
        "<< /Length 40 >>\nstream\nbegincmap 1 beginbfchar <0 <zz> endbfrange\nendstream", null));
    c.put("font-widths-huge", font("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 0 /LastChar 2147483647 /Widths [1 2 3] >>",
        null, null));

    // ---- encryption
    c.put("encrypt-unknown-version", new Pdf().page(text).trailerExtra("/Encrypt << /Filter /Standard /V 99 /R 99 /O <00> /U <00> /P -4 >> "
        + "/ID [<0102> <0102>]").bytes());
    c.put("encrypt-missing-object", new Pdf().page(text).trailerExtra("/Encrypt 77 0 R /ID [<01> <01>]").bytes());
    c.put("encrypt-bad-length", new Pdf().page(text).trailerExtra("/Encrypt << /Filter /Standard /V 2 /R 3 /Length 7 /O <00> /U <00> /P -4 >> "
        + "/ID [<0102> <0102>]").bytes());

    // ---- document-level structures
    c.put("outline-next-loop", new Pdf().page(text).catalogExtra("/Outlines 7 0 R")
        .obj(7, "<< /Type /Outlines /First 8 0 R /Last 8 0 R /Count 1 >>")
        .obj(8, "<< /Title (loop) /Parent 7 0 R /Next 8 0 R /Prev 8 0 R /First 8 0 R >>").bytes());
    c.put("acroform-kids-loop", new Pdf().page(text).catalogExtra("/AcroForm << /Fields [7 0 R] >>")
        .obj(7, "<< /T (a) /Kids [7 0 R] /FT /Tx >>").bytes());
    c.put("annotation-appearance-loop", new Pdf().page(text).pageExtra("/Annots [7 0 R]")
        .obj(7, "<< /Type /Annot /Subtype /Widget /Rect [0 0 10 10] /AP << /N 8 0 R >> >>")
        .obj(8, "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /A 8 0 R >> >> /Length 5 >>\nstream\n/A Do\nendstream").bytes());
    c.put("structure-tree-loop", new Pdf().page(text).catalogExtra("/MarkInfo << /Marked true >> /StructTreeRoot 7 0 R")
        .obj(7, "<< /Type /StructTreeRoot /K 8 0 R >>").obj(8, "<< /Type /StructElem /S /P /P 7 0 R /K [8 0 R] >>").bytes());
    c.put("incremental-update-points-backwards", incrementalLoop(good));
    return c;
  }

  // ------------------------------------------------------------------ a small PDF writer with hooks for damage

  /** One-page documents: catalog 1, pages 2, page 3, content 4, font 5, extra objects 7.. . */
  static final class Pdf {
    private final List<String> contents = new ArrayList<>();
    private final Map<Integer, String> objects = new LinkedHashMap<>();
    private final List<String> extraRaw = new ArrayList<>();
    private String pagesOverride;
    private String mediaBox = "[0 0 612 792]";
    private String resources = "<< /Font << /F1 5 0 R >> >>";
    private String pageExtra = "";
    private String catalogExtra = "";
    private String trailerExtra = "";
    private String rootOverride;
    private String contentDictExtra = "";
    private String contentLength;
    private int xrefShift;
    private boolean prevSelf;

    Pdf page(String content) {
      contents.add(content);
      return this;
    }

    /** The page's content stream with extra dictionary entries (filters) and raw (already encoded) data. */
    Pdf pageRaw(String dictExtra, String data) {
      contentDictExtra = dictExtra;
      contents.add(data);
      return this;
    }

    Pdf pagesOverride(String dict) { pagesOverride = dict; return this; }
    Pdf mediaBox(String box) { mediaBox = box; return this; }
    Pdf resources(String r) { resources = r; return this; }
    Pdf pageExtra(String s) { pageExtra += " " + s; return this; }
    Pdf catalogExtra(String s) { catalogExtra += " " + s; return this; }
    Pdf trailerExtra(String s) { trailerExtra += " " + s; return this; }
    Pdf rootOverride(String s) { rootOverride = s; return this; }
    Pdf contentLength(String s) { contentLength = s; return this; }
    Pdf xrefShift(int s) { xrefShift = s; return this; }
    Pdf prevSelf() { prevSelf = true; return this; }
    Pdf obj(int number, String body) { objects.put(number, body); return this; }
    Pdf extraObject(String raw) { extraRaw.add(raw); return this; }

    byte[] bytes() {
      String content = contents.isEmpty() ? "" : String.join("\n", contents);
      Map<Integer, String> objs = new LinkedHashMap<>();
      objs.put(1, "<< /Type /Catalog /Pages 2 0 R" + catalogExtra + " >>");
      objs.put(2, pagesOverride != null ? pagesOverride : "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
      objs.put(3, "<< /Type /Page /Parent 2 0 R" + (mediaBox != null ? " /MediaBox " + mediaBox : "")
          + " /Resources " + resources + " /Contents 4 0 R" + pageExtra + " >>");
      objs.put(4, "<< /Length " + (contentLength != null ? contentLength : String.valueOf(content.length())) + " "
          + contentDictExtra + " >>\nstream\n" + content + "\nendstream");
      objs.put(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
      objs.putAll(objects);
      StringBuilder sb = new StringBuilder("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
      Map<Integer, Integer> offsets = new LinkedHashMap<>();
      for (Map.Entry<Integer, String> o : objs.entrySet()) {
        offsets.put(o.getKey(), sb.length());
        sb.append(o.getKey()).append(" 0 obj\n").append(o.getValue()).append("\nendobj\n");
      }
      for (String raw : extraRaw) {
        sb.append(raw).append('\n');
      }
      int size = objs.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
      int xref = sb.length();
      sb.append("xref\n0 ").append(size).append("\n0000000000 65535 f \n");
      for (int n = 1; n < size; n++) {
        Integer off = offsets.get(n);
        if (off == null) {
          sb.append("0000000000 65535 f \n");
        } else {
          long shifted = xrefShift == Integer.MIN_VALUE ? 0 : off + xrefShift;
          sb.append(String.format("%010d 00000 n \n", shifted));
        }
      }
      sb.append("trailer\n<< /Size ").append(size).append(" /Root ").append(rootOverride != null ? rootOverride : "1 0 R")
          .append(prevSelf ? " /Prev " + xref : "").append(trailerExtra).append(" >>\nstartxref\n").append(xref)
          .append("\n%%EOF\n");
      return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  static byte[] image(String dict, String data) {
    return new Pdf().resources("<< /XObject << /Im1 7 0 R >> >>").page("q 200 0 0 200 100 400 cm /Im1 Do Q")
        .obj(7, "<< /Type /XObject /Subtype /Image " + dict + " /Length " + data.length() + " >>\nstream\n" + data + "\nendstream")
        .bytes();
  }

  static byte[] font(String fontDict, String second, String third) {
    Pdf p = new Pdf().resources("<< /Font << /F1 7 0 R >> >>").page("BT /F1 12 Tf 72 700 Td (Broken font text) Tj ET")
        .obj(7, fontDict);
    if (second != null) {
      p.obj(8, second);
    }
    if (third != null) {
      p.obj(9, third);
    }
    return p.bytes();
  }

  /** A cross-reference stream (PDF 1.5) with the given damaged dictionary entries. */
  static byte[] xrefStream(String entries) {
    String head = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n";
    String data = "\u0001\u0000\u0009\u0000";
    String xref = "3 0 obj\n<< /Type /XRef /Size 4 /Root 1 0 R " + entries + " /Length " + data.length() + " >>\nstream\n" + data
        + "\nendstream\nendobj\n";
    return (head + xref + "startxref\n" + head.length() + "\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /** An incremental update whose /Prev points at the update itself and whose objects redefine the catalog. */
  static byte[] incrementalLoop(byte[] base) {
    String s = new String(base, StandardCharsets.ISO_8859_1);
    int objAt = s.length();
    String update = "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Extra true >>\nendobj\n";
    int xrefAt = objAt + update.length();
    String tail = "xref\n0 2\n0000000000 65535 f \n" + String.format("%010d 00000 n \n", objAt)
        + "trailer\n<< /Size 6 /Root 1 0 R /Prev " + xrefAt + " >>\nstartxref\n" + xrefAt + "\n%%EOF\n";
    return (s + update + tail).getBytes(StandardCharsets.ISO_8859_1);
  }

  // ------------------------------------------------------------------ byte helpers

  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(9);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  /** Zeros deflated {@code levels} times: a few KB that inflate to hundreds of MB through the filter chain. */
  static byte[] nestedBomb(int levels) {
    byte[] data = new byte[64 << 20];
    for (int i = 0; i < levels; i++) {
      data = deflate(data);
    }
    return data;
  }

  /** RunLength records each repeating one byte 128 times: {@code n} records, 2 bytes each. */
  static byte[] runLengthBomb(int n) {
    byte[] b = new byte[2 * n + 1];
    for (int i = 0; i < n; i++) {
      b[2 * i] = (byte) 129; // 257 - 129 = 128 copies of the next byte
      b[2 * i + 1] = 'x';
    }
    b[2 * n] = (byte) 128; // EOD
    return b;
  }

  static byte[] pseudoRandom(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  static byte[] truncatedJpeg() {
    try {
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      javax.imageio.ImageIO.write(img, "jpeg", out);
      byte[] full = out.toByteArray();
      return java.util.Arrays.copyOf(full, full.length / 2);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  static int indexOf(byte[] data, String needle) {
    return new String(data, StandardCharsets.ISO_8859_1).indexOf(needle);
  }

  static byte[] replaceFirst(byte[] data, String from, String to) {
    return edit(data, s -> {
      int i = s.indexOf(from);
      if (i < 0) {
        throw new IllegalStateException("'" + from + "' not in the generated PDF");
      }
      return s.substring(0, i) + to + s.substring(i + from.length());
    });
  }

  static byte[] replaceLast(byte[] data, String from, String to) {
    return edit(data, s -> {
      int i = s.lastIndexOf(from);
      if (i < 0) {
        throw new IllegalStateException("'" + from + "' not in the generated PDF");
      }
      return s.substring(0, i) + to + s.substring(i + from.length());
    });
  }

  static byte[] setStartxref(byte[] data, long offset) {
    return edit(data, s -> {
      int i = s.lastIndexOf("startxref\n");
      int end = s.indexOf('\n', i + 10);
      return s.substring(0, i + 10) + offset + s.substring(end);
    });
  }

  static byte[] cutFrom(byte[] data, String marker) {
    return cutAt(data, indexOf(data, marker));
  }

  static byte[] cutAt(byte[] data, int at) {
    return java.util.Arrays.copyOf(data, at);
  }

  static byte[] concat(byte[] data, String tail) {
    return edit(data, s -> s + tail);
  }

  private static byte[] edit(byte[] data, UnaryOperator<String> f) {
    return f.apply(new String(data, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
  }
}
