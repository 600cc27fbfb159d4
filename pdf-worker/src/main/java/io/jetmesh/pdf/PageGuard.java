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

  static <T> T run(int pageNo, PageWork<T> work) throws JobException, PageFailure {
    try {
      return work.run();
    } catch (JobException e) {
      throw e;
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

  /** True when the exception was thrown inside PDFBox/FontBox (bad input), not by our own code (a bug). */
  static boolean fromPdfLibrary(Throwable e) {
    StackTraceElement[] st = e.getStackTrace();
    return st.length > 0 && (st[0].getClassName().startsWith("org.apache.pdfbox")
        || st[0].getClassName().startsWith("org.apache.fontbox") || st[0].getClassName().startsWith("java.")
        || st[0].getClassName().startsWith("javax.") || st[0].getClassName().startsWith("sun."));
  }
}
