package io.jetmesh.pdf.formats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a delimited text's delimiter among comma, semicolon, tab, pipe and colon: the candidate that splits the
 * first lines (quotes respected) into the same number of fields most consistently, more fields winning ties, the
 * order above breaking the rest. A one-column text has no delimiter and falls back to comma, as docling does.
 */
public final class CsvSniffer {
  private static final char[] CANDIDATES = {',', ';', '\t', '|', ':'};
  private static final int MAX_LINES = 50;

  private CsvSniffer() {}

  /** The delimiter of {@code text} (its first {@value #MAX_LINES} records are read), ',' when none is found. */
  public static char delimiter(String text) {
    Choice c = choose(text);
    return c == null ? ',' : c.delimiter;
  }

  /** True when the text reads as a table: at least two records split the same way by one delimiter. */
  static boolean looksLikeCsv(String text) {
    Choice c = choose(text);
    return c != null && c.lines >= 2 && c.consistency >= 0.8 && c.fields >= 2 && c.delimiter != ':';
  }

  private record Choice(char delimiter, double consistency, int fields, int lines) {}

  private static Choice choose(String text) {
    List<String> lines = records(text);
    if (lines.isEmpty()) {
      return null;
    }
    Choice best = null;
    for (char d : CANDIDATES) {
      Map<Integer, Integer> counts = new HashMap<>();
      for (String l : lines) {
        counts.merge(count(l, d), 1, Integer::sum);
      }
      int mode = -1;
      int modeCount = 0;
      for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
        if (e.getKey() > 0 && (e.getValue() > modeCount || e.getValue() == modeCount && e.getKey() > mode)) {
          mode = e.getKey();
          modeCount = e.getValue();
        }
      }
      if (mode <= 0) {
        continue;
      }
      double consistency = modeCount / (double) lines.size();
      Choice c = new Choice(d, consistency, mode + 1, lines.size());
      if (best == null || c.consistency > best.consistency + 1e-9
          || Math.abs(c.consistency - best.consistency) < 1e-9 && c.fields > best.fields) {
        best = c;
      }
    }
    return best;
  }

  /** The first records, quoted line breaks kept inside their record. */
  private static List<String> records(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length() && out.size() < MAX_LINES; i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if ((c == '\n' || c == '\r') && !quoted) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
        continue;
      }
      cur.append(c);
    }
    if (cur.length() > 0 && out.size() < MAX_LINES && out.size() < 2) {
      out.add(cur.toString());
    }
    return out;
  }

  private static int count(String line, char d) {
    int n = 0;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == d && !quoted) {
        n++;
      }
    }
    return n;
  }
}
