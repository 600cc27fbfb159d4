package io.jetmesh.pdf.formats.ooxml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Secure XML reading (no DTDs, no external entities, JDK entity limits) and namespace-agnostic DOM helpers: OOXML
 * comes in Transitional ({@code schemas.openxmlformats.org}) and Strict ({@code purl.oclc.org/ooxml}) namespaces
 * with the same local names, so elements and attributes are matched by local name only.
 */
public final class Xml {
  private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(Xml::newBuilder);
  /**
   * One factory per thread that hands out its last reader again once it is closed (the JDK's
   * {@code reuse-instance}): a new reader allocates its scanner and buffers, which cost more than reading a
   * relationships part; a reader still open (a part read inside another) gets a new one.
   */
  private static final ThreadLocal<XMLInputFactory> STAX = ThreadLocal.withInitial(Xml::newStax);

  /** Fails on errors without printing them (the default handler writes "[Fatal Error]" lines to stderr). */
  private static final org.xml.sax.ErrorHandler QUIET = new org.xml.sax.ErrorHandler() {
    @Override
    public void warning(org.xml.sax.SAXParseException e) {}

    @Override
    public void error(org.xml.sax.SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
      throw e;
    }
  };

  private Xml() {}

  private static DocumentBuilder newBuilder() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setXIncludeAware(false);
      // every part is walked whole: building the nodes up front is cheaper than Xerces' deferred expansion
      f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(QUIET);
      return b;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static XMLInputFactory newStax() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    if (f.isPropertySupported("reuse-instance")) {
      f.setProperty("reuse-instance", Boolean.TRUE);
    }
    return f;
  }

  /** Parses a whole part into a DOM; malformed XML is an {@link IOException}. */
  public static Document parse(InputStream in) throws IOException {
    DocumentBuilder b = BUILDERS.get();
    try {
      b.reset();
      b.setErrorHandler(QUIET);
      return b.parse(in);
    } catch (SAXException e) {
      throw new IOException("malformed XML: " + e.getMessage(), e);
    }
  }

  /** A streaming reader over a part (large sheets). */
  public static XMLStreamReader stream(InputStream in) throws IOException {
    try {
      return STAX.get().createXMLStreamReader(in);
    } catch (XMLStreamException e) {
      throw new IOException("malformed XML: " + e.getMessage(), e);
    }
  }

  /** Receives the element a streaming reader stands on. */
  @FunctionalInterface
  public interface ElementVisitor {
    void visit(XMLStreamReader element) throws IOException;
  }

  /**
   * Streams a part and hands each child of its root element named {@code localName} (null: every child) to
   * {@code visitor} at its start tag (attributes only), without building a DOM: for parts read for a list of
   * attributes (content types, relationships). The whole part is read, so malformed XML anywhere is an {@link IOException} as from
   * {@link #parse}, and a DOCTYPE is refused as {@link #parse} refuses it.
   */
  public static void rootChildren(InputStream in, String localName, ElementVisitor visitor) throws IOException {
    XMLStreamReader r = stream(in);
    try {
      int depth = 0;
      while (r.hasNext()) {
        int ev = next(r);
        if (ev == XMLStreamConstants.START_ELEMENT) {
          depth++;
          if (depth == 2 && (localName == null || localName.equals(r.getLocalName()))) {
            visitor.visit(r);
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          depth--;
        }
      }
    } catch (XMLStreamException e) {
      throw malformed(e);
    } finally {
      close(r);
    }
  }

  /** The next event of a streaming reader; a DOCTYPE is malformed here, as {@link #parse} refuses it. */
  public static int next(XMLStreamReader r) throws XMLStreamException, IOException {
    int ev = r.next();
    if (ev == XMLStreamConstants.DTD) {
      throw new IOException("malformed XML: DOCTYPE is disallowed");
    }
    return ev;
  }

  /** The attribute with local name {@code localName} (any namespace) of the element a reader stands on, or null. */
  public static String attr(XMLStreamReader r, String localName) {
    for (int i = 0, n = r.getAttributeCount(); i < n; i++) {
      if (localName.equals(r.getAttributeLocalName(i))) {
        return r.getAttributeValue(i);
      }
    }
    return null;
  }

  /** The local name of an element (no prefix). */
  public static String name(Node n) {
    String l = n.getLocalName();
    return l != null ? l : n.getNodeName();
  }

  public static boolean is(Node n, String localName) {
    return n.getNodeType() == Node.ELEMENT_NODE && localName.equals(name(n));
  }

  /** The element children of {@code e}. */
  public static List<Element> children(Element e) {
    List<Element> out = new ArrayList<>();
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.ELEMENT_NODE) {
        out.add((Element) c);
      }
    }
    return out;
  }

  /** The element children of {@code e} named {@code localName}. */
  public static List<Element> children(Element e, String localName) {
    List<Element> out = new ArrayList<>();
    if (e == null) {
      return out;
    }
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (is(c, localName)) {
        out.add((Element) c);
      }
    }
    return out;
  }

  /** The first element child named {@code localName}, or null. */
  public static Element child(Element e, String localName) {
    if (e == null) {
      return null;
    }
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (is(c, localName)) {
        return (Element) c;
      }
    }
    return null;
  }

  /** The element at a path of child names ({@code pPr}, {@code numPr}, {@code numId}), or null. */
  public static Element path(Element e, String... names) {
    Element cur = e;
    for (String n : names) {
      cur = child(cur, n);
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }

  /** All descendants named {@code localName}, in document order. */
  public static List<Element> descendants(Element e, String localName) {
    List<Element> out = new ArrayList<>();
    if (e == null) {
      return out;
    }
    NodeList all = e.getElementsByTagNameNS("*", localName);
    for (int i = 0; i < all.getLength(); i++) {
      out.add((Element) all.item(i));
    }
    return out;
  }

  /** The first descendant named {@code localName}, or null. */
  public static Element descendant(Element e, String localName) {
    if (e == null) {
      return null;
    }
    NodeList all = e.getElementsByTagNameNS("*", localName);
    return all.getLength() == 0 ? null : (Element) all.item(0);
  }

  /** The attribute with local name {@code localName} (any namespace), or null. */
  public static String attr(Element e, String localName) {
    if (e == null) {
      return null;
    }
    NamedNodeMap attrs = e.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      String l = a.getLocalName() != null ? a.getLocalName() : a.getName();
      if (localName.equals(l)) {
        return a.getValue();
      }
    }
    return null;
  }

  /**
   * The relationship id of an element ({@code r:id}, {@code r:embed}): the attribute in a relationships namespace
   * (Transitional or Strict), so that a plain {@code id} beside it ({@code <p:sldId id="256" r:id="rId2"/>}) is
   * not taken for it.
   */
  public static String rid(Element e, String localName) {
    if (e == null) {
      return null;
    }
    NamedNodeMap attrs = e.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      String ns = a.getNamespaceURI();
      if (ns != null && ns.contains("relationships") && localName.equals(a.getLocalName())) {
        return a.getValue();
      }
    }
    return null;
  }

  /** {@code attr(child(e, childName), "val")}: OOXML's ubiquitous {@code <w:x w:val="..."/>}. */
  public static String val(Element e, String childName) {
    return attr(child(e, childName), "val");
  }

  /** True when an OOXML on/off property is present and not switched off ({@code w:val="0|false|off"}). */
  public static boolean on(Element props, String childName) {
    Element p = child(props, childName);
    if (p == null) {
      return false;
    }
    String v = attr(p, "val");
    return v == null || !(v.equals("0") || v.equalsIgnoreCase("false") || v.equalsIgnoreCase("off")
        || v.equalsIgnoreCase("none"));
  }

  /** Whether {@code n} has an ancestor named {@code localName}, stopping at {@code stop}. */
  public static boolean hasAncestor(Node n, String localName, Node stop) {
    for (Node p = n.getParentNode(); p != null && p != stop; p = p.getParentNode()) {
      if (is(p, localName)) {
        return true;
      }
    }
    return false;
  }

  /** The document element of a DOM. */
  public static Element root(Document d) {
    return d.getDocumentElement();
  }

  /**
   * The {@link IOException} for malformed XML met while streaming, worded like {@link #parse}'s (the reader's
   * "ParseError at [row,col]" preamble moved after the message).
   */
  public static IOException malformed(XMLStreamException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    int i = m.indexOf("Message: ");
    String detail = i < 0 ? m : m.substring(i + "Message: ".length()).strip();
    return new IOException("malformed XML: " + detail, e);
  }

  /** Closes a streaming reader; closing one over a part read fully cannot lose data. */
  public static void close(XMLStreamReader r) {
    try {
      r.close();
    } catch (XMLStreamException e) {
      // closing a reader over a part we read fully cannot lose data
    }
  }
}
