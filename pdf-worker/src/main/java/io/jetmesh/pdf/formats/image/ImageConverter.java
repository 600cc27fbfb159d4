package io.jetmesh.pdf.formats.image;

import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.ocr.OcrException;
import io.jetmesh.ocr.OcrLine;
import io.jetmesh.ocr.OcrPage;
import io.jetmesh.ocr.OcrRequest;
import io.jetmesh.pdf.docling.DocNode;
import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.LimitExceededException;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Images (PNG, JPEG, TIFF with all its pages, BMP, GIF, WebP) as docling's image input: each frame a page of its
 * pixel size, read by the shared OCR engine ({@code ocr} module), its text as paragraphs (lines close together
 * joined) with their boxes. Sizes are read from the header before any pixel is decoded, so a pixel bomb fails with
 * {@code TOO_LARGE} without allocating it. Without an OCR engine (or with {@code do_ocr: false}) each page is one
 * picture and the result carries a warning.
 */
public final class ImageConverter {
  /** Frames of a TIFF converted at most. */
  private static final int MAX_FRAMES = 500;
  private static final long MAX_PIXELS = 100_000_000L;

  private ImageConverter() {}

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    ImageIO.setUseCache(false);
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new IOException("cannot open the image");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("no decoder recognises this " + detection.format().id().toUpperCase() + " image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, false, true);
        int frames;
        try {
          frames = reader.getNumImages(true);
        } catch (IOException | RuntimeException e) {
          frames = 1;
        }
        frames = Math.max(1, Math.min(frames, MAX_FRAMES));
        OcrEngine engine = cx.ocr();
        if (engine == null) {
          cx.warn(cx.ocrEnabled() ? "no OCR engine on this worker: the image's text was not read"
              : "OCR is off (do_ocr: false): the image's text was not read");
        }
        for (int i = 0; i < frames; i++) {
          cx.checkCancelled();
          int w;
          int h;
          try {
            w = reader.getWidth(i);
            h = reader.getHeight(i);
          } catch (IndexOutOfBoundsException e) {
            break;
          }
          if ((long) w * h > MAX_PIXELS) {
            throw new LimitExceededException("page " + (i + 1) + " has " + w + " x " + h + " pixels, more than the "
                + "limit of " + MAX_PIXELS);
          }
          tree.page(i + 1, w, h);
          if (engine == null) {
            DocNode pic = tree.picture();
            tree.box(pic, 0, 0, w, h);
            continue;
          }
          BufferedImage image;
          try {
            image = reader.read(i);
          } catch (IOException | RuntimeException e) {
            if (i == 0) {
              throw new IOException("cannot decode the image: " + e.getMessage(), e);
            }
            cx.warn("page " + (i + 1) + " could not be decoded: " + e.getMessage());
            continue;
          }
          page(engine, image, cx, tree);
        }
      } finally {
        reader.dispose();
      }
    }
  }

  private static void page(OcrEngine engine, BufferedImage image, ConversionContext cx, DocTree tree)
      throws JobException {
    OcrPage page;
    try {
      page = engine.recognize(image, OcrRequest.DEFAULT.withLanguages(cx.ocrLanguages()));
    } catch (OcrException e) {
      throw new JobException(ErrorCode.UNSUPPORTED, "OCR failed: " + e.getMessage());
    }
    List<List<OcrLine>> paras = new ArrayList<>();
    OcrLine prev = null;
    for (OcrLine l : page.lines()) {
      if (l.text().isBlank()) {
        continue;
      }
      float height = l.box().height();
      boolean join = prev != null && l.box().y() - (prev.box().y() + prev.box().height()) < 0.8f * height
          && Math.abs(l.box().x() - prev.box().x()) < 3 * height;
      if (!join) {
        paras.add(new ArrayList<>());
      }
      paras.get(paras.size() - 1).add(l);
      prev = l;
    }
    for (List<OcrLine> p : paras) {
      StringBuilder sb = new StringBuilder();
      float x0 = Float.MAX_VALUE;
      float y0 = Float.MAX_VALUE;
      float x1 = 0;
      float y1 = 0;
      for (OcrLine l : p) {
        sb.append(sb.length() > 0 ? " " : "").append(l.text().strip());
        x0 = Math.min(x0, l.box().x());
        y0 = Math.min(y0, l.box().y());
        x1 = Math.max(x1, l.box().right());
        y1 = Math.max(y1, l.box().y() + l.box().height());
      }
      DocNode t = tree.text("text", sb.toString());
      tree.box(t, x0, y0, x1, y1);
    }
  }
}
