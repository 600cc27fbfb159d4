package io.jetmesh.pdf.formats.ooxml;

import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.w3c.dom.Element;

/**
 * A DrawingML chart part ({@code c:chartSpace}) read the way docling reads charts: its kind as docling's picture
 * class ({@code bar_chart}, {@code line_chart}, {@code pie_chart}, {@code scatter_chart}, else {@code other_chart}),
 * its title, and its cached data as a table (categories down the first column, one column per series). Shared by
 * the XLSX, PPTX and DOCX converters.
 */
public final class Charts {
  /** A chart: kind, title (null when none) and data (null when it has no series). */
  public record Chart(String kind, String title, Table data) {}

  private Charts() {}

  public static Chart read(Element chartSpace) {
    Element plot = Xml.descendant(chartSpace, "plotArea");
    String kind = "other_chart";
    List<Element> series = new ArrayList<>();
    if (plot != null) {
      boolean first = true;
      for (Element c : Xml.children(plot)) {
        String n = Xml.name(c);
        if (!n.endsWith("Chart")) {
          continue;
        }
        if (first) {
          kind = switch (n) {
            case "barChart", "bar3DChart" -> "bar_chart";
            case "lineChart", "line3DChart" -> "line_chart";
            case "pieChart", "pie3DChart", "doughnutChart", "ofPieChart" -> "pie_chart";
            case "scatterChart" -> "scatter_chart";
            default -> "other_chart";
          };
          first = false;
        }
        series.addAll(Xml.children(c, "ser"));
      }
    }
    return new Chart(kind, title(chartSpace), table(series));
  }

  private static String title(Element chartSpace) {
    Element chart = Xml.child(chartSpace, "chart");
    Element t = Xml.child(chart, "title");
    if (t == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (Element r : Xml.descendants(t, "t")) {
      sb.append(r.getTextContent());
    }
    if (sb.length() == 0) {
      for (Element v : Xml.descendants(t, "v")) {
        sb.append(v.getTextContent());
      }
    }
    String s = sb.toString().strip();
    return s.isEmpty() ? null : s;
  }

  private static Table table(List<Element> series) {
    if (series.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    List<Map<Integer, String>> values = new ArrayList<>();
    Map<Integer, String> categories = new TreeMap<>();
    for (Element s : series) {
      names.add(text(Xml.child(s, "tx")));
      Element cat = Xml.child(s, "cat") != null ? Xml.child(s, "cat") : Xml.child(s, "xVal");
      Element val = Xml.child(s, "val") != null ? Xml.child(s, "val") : Xml.child(s, "yVal");
      if (cat != null && categories.isEmpty()) {
        categories.putAll(points(cat));
      }
      values.add(val == null ? Map.of() : points(val));
    }
    int rows = categories.size();
    for (Map<Integer, String> v : values) {
      rows = Math.max(rows, v.isEmpty() ? 0 : ((TreeMap<Integer, String>) v).lastKey() + 1);
    }
    if (categories.isEmpty()) {
      for (int i = 0; i < rows; i++) {
        categories.put(i, String.valueOf(i + 1));
      }
    }
    List<TableCell> cells = new ArrayList<>();
    cells.add(new TableCell(0, 0, 1, 1, "", true, false, 0, 0, 0, 0));
    for (int k = 0; k < names.size(); k++) {
      cells.add(new TableCell(0, k + 1, 1, 1, names.get(k), true, false, 0, 0, 0, 0));
    }
    List<Integer> idx = new ArrayList<>(categories.keySet());
    for (int r = 0; r < idx.size(); r++) {
      int p = idx.get(r);
      cells.add(new TableCell(r + 1, 0, 1, 1, categories.get(p), false, true, 0, 0, 0, 0));
      for (int k = 0; k < values.size(); k++) {
        cells.add(new TableCell(r + 1, k + 1, 1, 1, values.get(k).getOrDefault(p, ""), false, false, 0, 0, 0, 0));
      }
    }
    return new Table(0, 0, 0, 0, 0, idx.size() + 1, names.size() + 1, cells, "chart");
  }

  private static String text(Element tx) {
    if (tx == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Element v : Xml.descendants(tx, "v")) {
      sb.append(v.getTextContent());
    }
    if (sb.length() == 0) {
      for (Element t : Xml.descendants(tx, "t")) {
        sb.append(t.getTextContent());
      }
    }
    return sb.toString().strip();
  }

  /** The cached points of a data reference ({@code c:strCache}/{@code c:numCache}/literals), by index. */
  private static Map<Integer, String> points(Element ref) {
    Map<Integer, String> out = new TreeMap<>();
    for (Element pt : Xml.descendants(ref, "pt")) {
      String idx = Xml.attr(pt, "idx");
      Element v = Xml.child(pt, "v");
      if (idx != null && v != null) {
        try {
          out.putIfAbsent(Integer.parseInt(idx), number(v.getTextContent().strip()));
        } catch (NumberFormatException e) {
          // a point without a usable index cannot be placed
        }
      }
    }
    return out;
  }

  /** Cached numbers as docling shows them: {@code 4.3}, {@code 2} (no {@code .0}). */
  private static String number(String s) {
    if (s.endsWith(".0")) {
      return s.substring(0, s.length() - 2);
    }
    return s;
  }
}
