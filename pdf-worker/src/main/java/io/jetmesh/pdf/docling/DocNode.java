package io.jetmesh.pdf.docling;

import io.jetmesh.pdf.tables.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of the document tree before serialisation: a text item (label title, section_header, text, list_item,
 * caption, footnote, page_header, page_footer, code, formula), a list group, a table or a picture. Boxes are display
 * space (points, top-left origin); the JSON writer converts them to docling's bottom-left provenance boxes.
 */
public final class DocNode {
  public enum Kind { TEXT, GROUP, TABLE, PICTURE }

  final Kind kind;
  String label;
  String text = "";
  String orig = "";
  int level;
  String marker;
  boolean enumerated;
  int pageNo;
  float x0;
  float y0;
  float x1;
  float y1;
  float pageHeight;
  boolean furniture;
  Table table;
  final List<DocNode> children = new ArrayList<>();
  final List<DocNode> captions = new ArrayList<>();
  /** Set while building lists: the x position of the item's marker, for nesting. */
  float indent;

  // ---- set by the converters of other formats (io.jetmesh.pdf.formats.*) through DocTree; unused for PDFs
  /** Content layer when neither body nor furniture: {@code notes} (comments), {@code invisible} (hidden sheets). */
  String layer;
  /** A group's docling name and label: list/list, group/inline, slide-0/chapter, Sheet1/sheet, ... */
  String groupName = "list";
  String groupLabel = "list";
  /** Run formatting of a text item; null = plain. */
  Formatting formatting;
  /** Link target of a text item; null = none. */
  String hyperlink;
  /** A code item's language; null = unknown. */
  String codeLanguage;
  /** True when the item has no page provenance (documents without pages: DOCX, HTML, Markdown, CSV). */
  boolean noProv;
  /** Provenance boxes already in top-left coordinates (sheet cells), written as such. */
  boolean topLeftProv;
  /** Table cells whose content is a group of items (lists, paragraphs, nested tables), keyed by the cell. */
  java.util.Map<io.jetmesh.pdf.tables.TableCell, DocNode> richCells;
  /** A chart picture's data as a table (docling's {@code tabular_chart}), and its kind ({@code bar_chart}). */
  Table chartData;
  String chartKind;

  DocNode(Kind kind, String label) {
    this.kind = kind;
    this.label = label;
  }

  public Kind kind() {
    return kind;
  }

  public String label() {
    return label;
  }

  public String text() {
    return text;
  }

  public int level() {
    return level;
  }

  public int pageNo() {
    return pageNo;
  }

  public boolean furniture() {
    return furniture;
  }

  public List<DocNode> children() {
    return children;
  }

  public List<DocNode> captions() {
    return captions;
  }

  public Table table() {
    return table;
  }

  public String marker() {
    return marker;
  }

  public boolean enumerated() {
    return enumerated;
  }

  /** The docling content layer of this item. */
  public String contentLayer() {
    return layer != null ? layer : furniture ? "furniture" : "body";
  }

  void box(float ax0, float ay0, float ax1, float ay1, int page, float height) {
    x0 = ax0;
    y0 = ay0;
    x1 = ax1;
    y1 = ay1;
    pageNo = page;
    pageHeight = height;
  }
}
