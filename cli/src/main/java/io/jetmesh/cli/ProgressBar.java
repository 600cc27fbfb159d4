package io.jetmesh.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr when it is a terminal; otherwise a line per 10 % step, so logs of
 * non-interactive runs stay readable.
 */
final class ProgressBar {
  private final PrintWriter out;
  private final boolean interactive;
  private final String label;
  private long lastDecile = -1;
  private long lastDraw;

  ProgressBar(PrintWriter out, String label) {
    this.out = out;
    this.interactive = System.console() != null;
    this.label = label;
  }

  synchronized void update(long current, long total, String unit) {
    if (total <= 0) {
      return;
    }
    double f = Math.min(1.0, (double) current / total);
    if (interactive) {
      long now = System.nanoTime();
      if (now - lastDraw < 50_000_000L && current < total) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = (int) Math.round(f * width);
      out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + current + "/" + total
          + (unit == null ? "" : " " + unit) + "   ");
      out.flush();
    } else {
      long decile = (long) (f * 10);
      if (decile != lastDecile) {
        lastDecile = decile;
        out.println(label + ": " + current + "/" + total + (unit == null ? "" : " " + unit));
        out.flush();
      }
    }
  }

  synchronized void done() {
    if (interactive) {
      out.print("\r" + " ".repeat(label.length() + 60) + "\r");
      out.flush();
    }
  }
}
