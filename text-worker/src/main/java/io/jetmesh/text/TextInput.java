package io.jetmesh.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A text-worker job's decoded input. Every operation accepts the same inputs and tells them apart by content:
 *
 * <ul>
 *   <li>a DoclingDocument (JSON with {@code "schema_name": "DoclingDocument"}),
 *   <li>the pdf-worker's {@code convert} output (JSON with a {@code document} field holding a DoclingDocument, and
 *       {@code markdown}),
 *   <li>the chunk operation's output (JSON with a {@code chunks} array),
 *   <li>a list of texts (a JSON array of strings, or an object with a {@code texts} array),
 *   <li>Markdown or plain text (option {@code format}, else sniffed).
 * </ul>
 *
 * The bytes must be strict UTF-8; the input is read with a hard size bound so an enormous input fails fast with
 * {@code TOO_LARGE} instead of filling the heap.
 */
final class TextInput {
  enum Kind {
    PLAIN, MARKDOWN, DOCLING, CHUNKS, TEXTS;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern MARKDOWN_HINT = Pattern.compile(
      "(?m)^(#{1,6} \\S|\\s{0,3}[-*+] \\S|\\s{0,3}\\d{1,3}[.)] \\S|\\|.*\\|\\s*$|```|~~~|>\\s)");

  private final Kind kind;
  private final String text;
  private final JsonNode json;
  private final long bytes;

  private TextInput(Kind kind, String text, JsonNode json, long bytes) {
    this.kind = kind;
    this.text = text;
    this.json = json;
    this.bytes = bytes;
  }

  Kind kind() {
    return kind;
  }

  /** Size of the input in bytes. */
  long bytes() {
    return bytes;
  }

  /** The raw text of a PLAIN or MARKDOWN input. */
  String text() {
    return text;
  }

  /** The DoclingDocument, the chunks array or the texts array. */
  JsonNode json() {
    return json;
  }

  /**
   * Reads, decodes and classifies the job's input.
   *
   * @param maxBytes the operation's own size limit; the service's {@code max_input_size} applies as well
   */
  static TextInput read(JobContext ctx, long maxBytes) throws JobException {
    long limit = Math.min(maxBytes, ctx.limits().maxInputSize());
    byte[] data = readBounded(ctx, limit);
    String format = TextOptions.string(ctx.options(), "format", "auto").toLowerCase(Locale.ROOT);
    return classify(data, format, ctx.input() == null ? null : ctx.input().name());
  }

  static TextInput classify(byte[] data, String format, String name) throws JobException {
    if (data.length == 0) {
      throw JobException.invalidInput("input is empty: expected UTF-8 text, Markdown or document JSON");
    }
    String s = decodeUtf8(data);
    if (s.isBlank()) {
      throw JobException.invalidInput("input holds only whitespace (" + data.length + " bytes): nothing to analyse");
    }
    return switch (format) {
      case "plain", "text", "txt" -> new TextInput(Kind.PLAIN, s, null, data.length);
      case "markdown", "md" -> new TextInput(Kind.MARKDOWN, s, null, data.length);
      case "json", "docling" -> fromJson(parseJson(s, true), data.length, s);
      case "auto" -> sniff(s, data.length, name);
      default -> throw JobException.invalidInput(
          "option format must be auto, plain, markdown, docling or json: '" + format + "'");
    };
  }

  private static TextInput sniff(String s, long bytes, String name) throws JobException {
    String head = s.stripLeading();
    if (head.startsWith("{") || head.startsWith("[")) {
      JsonNode node = parseJson(s, false);
      if (node != null) {
        return fromJson(node, bytes, s);
      }
    }
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
      return new TextInput(Kind.MARKDOWN, s, null, bytes);
    }
    if (lower.endsWith(".txt")) {
      return new TextInput(Kind.PLAIN, s, null, bytes);
    }
    // Sniff the first 64 KiB: a heading, list, table, fence or quote line marks Markdown.
    String sample = s.length() > 65536 ? s.substring(0, 65536) : s;
    return new TextInput(MARKDOWN_HINT.matcher(sample).find() ? Kind.MARKDOWN : Kind.PLAIN, s, null, bytes);
  }

  private static JsonNode parseJson(String s, boolean required) throws JobException {
    try {
      // the whole input must be one JSON value: "[1] Smith, J. (2020)" is text, not the array [1]
      return Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(s);
    } catch (JsonProcessingException e) {
      if (required) {
        throw JobException.invalidInput("input is not valid JSON (line " + e.getLocation().getLineNr()
            + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
      }
      return null;
    }
  }

  private static TextInput fromJson(JsonNode node, long bytes, String raw) throws JobException {
    if (node.isArray()) {
      return new TextInput(Kind.TEXTS, null, requireStrings((ArrayNode) node, "input array"), bytes);
    }
    if (!node.isObject()) {
      throw JobException.invalidInput("JSON input must be an object or an array of strings, got " + node.getNodeType());
    }
    if ("DoclingDocument".equals(node.path("schema_name").asText())) {
      return new TextInput(Kind.DOCLING, null, node, bytes);
    }
    JsonNode doc = node.get("document");
    if (doc != null && doc.isObject()) {
      if (!doc.has("texts") && !doc.has("body")) {
        throw JobException.invalidInput("field document is not a DoclingDocument (no body/texts)");
      }
      return new TextInput(Kind.DOCLING, null, doc, bytes);
    }
    if (node.path("markdown").isTextual()) {
      return new TextInput(Kind.MARKDOWN, node.get("markdown").asText(), null, bytes);
    }
    if (node.path("chunks").isArray()) {
      return new TextInput(Kind.CHUNKS, null, node.get("chunks"), bytes);
    }
    if (node.path("texts").isArray()) {
      return new TextInput(Kind.TEXTS, null, requireStrings((ArrayNode) node.get("texts"), "field texts"), bytes);
    }
    if (node.path("text").isTextual()) {
      return new TextInput(Kind.PLAIN, node.get("text").asText(), null, bytes);
    }
    if (node.path("output").isObject() || node.path("output").isArray()) {
      // a job result handed on whole by a pipeline stage: {"state": ..., "output": {...}}
      return fromJson(node.get("output"), bytes, raw);
    }
    throw JobException.invalidInput("unrecognised JSON input: expected a DoclingDocument, the pdf-worker output "
        + "({\"document\": ...}), chunk output ({\"chunks\": [...]}), {\"texts\": [...]}, {\"text\": \"...\"} or an array "
        + "of strings; use option format=plain to treat it as text");
  }

  private static ArrayNode requireStrings(ArrayNode array, String what) throws JobException {
    if (array.isEmpty()) {
      throw JobException.invalidInput(what + " is empty: nothing to analyse");
    }
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isTextual()) {
        throw JobException.invalidInput(what + "[" + i + "] is " + array.get(i).getNodeType() + ", expected a string");
      }
    }
    return array;
  }

  /** Reads at most {@code limit} bytes; one byte more means the input is too large. */
  static byte[] readBounded(JobContext ctx, long limit) throws JobException {
    try (InputStream in = ctx.openInput()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      byte[] buf = new byte[65536];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          throw JobException.tooLarge("input is larger than " + limit + " bytes, the limit of "
              + ctx.operation() + " on this service");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new JobException(ErrorCode.UNAVAILABLE, "cannot read input " + ctx.input().describe() + ": " + e.getMessage(), e);
    }
  }

  /** Strict UTF-8: a malformed or truncated sequence fails with its byte offset. A leading BOM is dropped. */
  static String decodeUtf8(byte[] data) throws JobException {
    int start = data.length >= 3 && (data[0] & 0xff) == 0xEF && (data[1] & 0xff) == 0xBB && (data[2] & 0xff) == 0xBF ? 3 : 0;
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(data, start, data.length - start);
    CharBuffer out = CharBuffer.allocate(data.length - start);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isUnderflow()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int offset = in.position();
      StringBuilder hex = new StringBuilder();
      for (int i = offset; i < Math.min(data.length, offset + r.length()); i++) {
        hex.append(String.format("%02X", data[i] & 0xff));
      }
      throw JobException.invalidInput("input is not valid UTF-8: malformed byte sequence 0x" + hex + " at byte offset "
          + offset + " (convert the text to UTF-8, e.g. iconv -f LATIN1 -t UTF-8)");
    }
    out.flip();
    return out.toString();
  }

  /** The strings of a TEXTS input. */
  List<String> texts() {
    List<String> out = new ArrayList<>(json.size());
    json.forEach(n -> out.add(n.asText()));
    return out;
  }
}
