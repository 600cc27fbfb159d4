package io.jetmesh.pdf;

import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Opens PDFs for a job: one {@link PDDocument} per job, read from the local input file (never loaded into the heap),
 * with scratch data spilling to temp files in the job's scratch directory past 16 MiB. Every failure becomes a
 * {@link JobException} with a precise code: not a PDF, damaged, encrypted, wrong password, too many pages.
 */
public final class PdfDocuments {
  private static final long MEMORY_SCRATCH = 16L << 20;

  private PdfDocuments() {}

  /** Work on an open PDF. */
  interface Work<T> {
    T run(PDDocument doc) throws IOException, JobException;
  }

  /**
   * Opens the PDF, runs {@code work} on it and closes it. What a damaged file makes PDFBox throw on the way (I/O
   * errors, structures nested too deeply, PDFBox's own runtime exceptions) becomes {@code INVALID_INPUT}; other
   * runtime exceptions are bugs and pass through.
   */
  static <T> T read(Path file, String password, Path scratchDir, Work<T> work) throws JobException {
    try (PDDocument doc = open(file, password, scratchDir)) {
      return work.run(doc);
    } catch (IOException e) {
      throw JobException.invalidInput("damaged PDF: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw JobException.invalidInput("damaged PDF: its structure is nested too deeply");
    } catch (RuntimeException e) {
      if (PageGuard.fromPdfLibrary(e)) {
        throw JobException.invalidInput("damaged PDF: " + e, e);
      }
      throw e;
    }
  }

  public static PDDocument open(Path file, String password, Path scratchDir) throws JobException {
    checkHeader(file);
    MemoryUsageSetting mem = MemoryUsageSetting.setupMixed(MEMORY_SCRATCH);
    if (scratchDir != null) {
      mem = mem.setTempDir(scratchDir.toFile());
    }
    try {
      return Loader.loadPDF(file.toFile(), password == null ? "" : password, mem.streamCache);
    } catch (InvalidPasswordException e) {
      if (password == null || password.isEmpty()) {
        throw JobException.unsupported("the PDF is encrypted with a user password: give it with jetmesh convert --pdf-password PASSWORD"
            + " (or options.password in the job options)");
      }
      throw JobException.invalidInput("the password does not open this encrypted PDF (given as jetmesh convert"
          + " --pdf-password or options.password)");
    } catch (IOException e) {
      throw JobException.invalidInput("damaged PDF, cannot be parsed: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw JobException.invalidInput("damaged PDF: its object structure is nested too deeply to parse");
    } catch (RuntimeException e) {
      throw JobException.invalidInput("damaged PDF, cannot be parsed: " + e, e);
    }
  }

  /** Fails fast on empty files and files that are not PDFs, naming what the file starts with. */
  static void checkHeader(Path file) throws JobException {
    byte[] head = new byte[1024];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw JobException.notFound("cannot read the input file: " + e.getMessage());
    }
    if (n == 0) {
      throw JobException.invalidInput("not a PDF: the input is empty (0 bytes)");
    }
    String s = new String(head, 0, n, StandardCharsets.ISO_8859_1);
    if (!s.contains("%PDF-")) {
      StringBuilder start = new StringBuilder();
      for (int i = 0; i < Math.min(n, 16); i++) {
        char c = s.charAt(i);
        start.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
      }
      throw JobException.invalidInput("not a PDF: no %PDF- header in the first " + n + " bytes (starts with \""
          + start + "\")");
    }
  }

  /** Checks the page count (within the requested range) against the limit. */
  public static int[] pageRange(PDDocument doc, PdfOptions options) throws JobException {
    int n;
    try {
      n = doc.getNumberOfPages();
    } catch (RuntimeException e) {
      throw JobException.invalidInput("damaged PDF: cannot read its page tree: " + e.getMessage());
    }
    if (n <= 0) {
      throw JobException.invalidInput("damaged PDF: it has no pages");
    }
    int first = options.firstPage();
    int last = Math.min(options.lastPage(), n);
    if (first > n) {
      throw JobException.invalidInput("page_range starts at page " + first + " but the PDF has " + n + " pages");
    }
    int count = last - first + 1;
    if (count > options.maxPages()) {
      throw JobException.tooLarge("the PDF has " + count + " pages to process, more than the limit of "
          + options.maxPages() + " (raise options.max_pages or pass a page_range)");
    }
    return new int[] {first, last};
  }
}
