package io.jetmesh.pdf;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import java.io.IOException;

/**
 * Runs one page's work and turns what a hostile or damaged page throws into a decision: a {@link JobException} with
 * a precise code for the whole job (nesting too deep, out of memory), or a per-page failure the caller records as a
 * warning and skips (a broken content stream should not lose the other pages).
 */
final class PageGuard {
  private PageGuard() {}

  @FunctionalInterface
  interface PageWork<T> {
    T run() throws JobException, IOException;
  }

  /** A page that could not be read; the job goes on without it. */
  static final class PageFailure extends Exception {
    PageFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Thrown through PDFBox by a page checkpoint when the job was cancelled or ran out of time. */
  static final class Stopped extends RuntimeException {
    final JobException reason;

    Stopped(JobException reason) {
      super(reason.getMessage(), null, false, false);
      this.reason = reason;
    }
  }

  static <T> T run(int pageNo, PageWork<T> work) throws JobException, PageFailure {
    try {
      return work.run();
    } catch (JobException e) {
      throw e;
    } catch (Stopped e) {
      throw e.reason;
    } catch (IOException e) {
      throw new PageFailure("page " + pageNo + " cannot be read: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw JobException.invalidInput("damaged PDF: page " + pageNo + " nests content or objects too deeply");
    } catch (OutOfMemoryError e) {
      throw JobException.tooLarge("page " + pageNo + " needs more memory than this worker has");
    } catch (RuntimeException e) {
      if (fromPdfLibrary(e)) {
        throw new PageFailure("page " + pageNo + " cannot be read: " + e, e);
      }
      throw new JobException(ErrorCode.INTERNAL, "page " + pageNo + ": unexpected " + e, e);
    }
  }

  /**
   * True when the exception was thrown inside PDFBox/FontBox (bad input), not by our own code (a bug): a PDFBox or
   * FontBox frame comes before the first jetmesh frame (JDK frames in between, e.g. a collection PDFBox used, count
   * for the library).
   */
  static boolean fromPdfLibrary(Throwable e) {
    for (StackTraceElement f : e.getStackTrace()) {
      String c = f.getClassName();
      if (c.startsWith("org.apache.pdfbox") || c.startsWith("org.apache.fontbox")) {
        return true;
      }
      if (c.startsWith("io.jetmesh")) {
        return false;
      }
    }
    return false;
  }
}
