package io.jetmesh.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.Units;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * docling-serve's JSON request body ({@code ConvertDocumentsRequest} and the chunk requests): options, target and
 * {@code sources}, read as a stream so that base64 documents are decoded straight to files, never held in the heap.
 */
final class DoclingSourceBody {
  private DoclingSourceBody() {}


  static final class RawSource {
    String kind;
    String filename;
    Path local;
    String url;
    Map<String, String> headers;
  }

  static final class SourceBody {
    ObjectNode options;
    ObjectNode convertOptions;
    ObjectNode chunkingOptions;
    String targetKind;
    boolean includeConvertedDoc;
    final List<RawSource> sources = new ArrayList<>();
  }

  /**
   * Reads docling-serve's JSON request as a stream: base64 documents are decoded straight to files in {@code dir}
   * (never held in the heap), each held to {@code limit} bytes, the body to what that many documents encode to.
   * Also reads v1alpha's {@code file_sources} / {@code http_sources}.
   */
  static SourceBody read(InputStream body, Path dir, long limit, int maxDocuments) throws IOException {
    long bodyLimit = (limit / 3 + 1) * 4 * maxDocuments + RequestReader.MAX_JSON;
    SourceBody out = new SourceBody();
    try (InputStream in = new LimitedInputStream(body, bodyLimit);
         JsonParser p = Json.mapper().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ApiException(422, "invalid_request", "the body must be a JSON object with 'sources'");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "options" -> out.options = object(p, t, field);
          case "convert_options" -> out.convertOptions = object(p, t, field);
          case "chunking_options" -> out.chunkingOptions = object(p, t, field);
          case "target" -> {
            ObjectNode target = object(p, t, field);
            String kind = target == null ? "inbody" : target.path("kind").asText("inbody").toLowerCase(Locale.ROOT);
            if (!kind.equals("inbody") && !kind.equals("zip")) {
              throw new ApiException(422, "unsupported_target", "target kind '" + kind + "' is not served here (inbody or"
                  + " zip); jetmesh stores results in its own object store: fetch them from /v1/result/{task_id}");
            }
            out.targetKind = kind;
          }
          case "include_converted_doc" -> out.includeConvertedDoc = t == JsonToken.VALUE_TRUE;
          case "sources", "file_sources", "http_sources" -> {
            if (t != JsonToken.START_ARRAY) {
              throw new ApiException(422, "invalid_request", "'" + field + "' must be a list");
            }
            String implied = field.equals("file_sources") ? "file" : field.equals("http_sources") ? "http" : null;
            while (p.nextToken() == JsonToken.START_OBJECT) {
              if (out.sources.size() >= maxDocuments) {
                throw new ApiException(422, "too_many_sources", "at most " + maxDocuments + " sources in one request");
              }
              out.sources.add(readSource(p, implied, dir, limit, out.sources.size()));
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (LimitedInputStream.LimitExceeded e) {
      throw new ApiException(413, "payload_too_large", "the request body is larger than " + maxDocuments
          + " documents of the upload limit (" + Units.formatBytes(limit) + ") encode to", null, Map.of("limit_bytes", limit));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      if (e.getCause() instanceof LimitedInputStream.LimitExceeded || e.getCause() instanceof DocumentTooLarge) {
        throw tooLarge(limit);
      }
      throw new ApiException(422, "invalid_request", "malformed JSON body: " + e.getOriginalMessage());
    } catch (DocumentTooLarge e) {
      throw tooLarge(limit);
    }
    return out;
  }

  private static ApiException tooLarge(long limit) {
    return new ApiException(413, "payload_too_large", "a source document is larger than the upload limit of "
        + Units.formatBytes(limit) + " for this caller and service", null, Map.of("limit_bytes", limit));
  }

  private static ObjectNode object(JsonParser p, JsonToken t, String field) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw new ApiException(422, "invalid_request", "'" + field + "' must be an object");
    }
    return p.readValueAsTree();
  }

  /** Standard base64 with line breaks allowed (what {@code base64} prints without -w0) and padding optional. */
  private static final com.fasterxml.jackson.core.Base64Variant BASE64 = com.fasterxml.jackson.core.Base64Variants.MIME
      .withReadPadding(com.fasterxml.jackson.core.Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);

  private static RawSource readSource(JsonParser p, String implied, Path dir, long limit, int index) throws IOException {
    RawSource s = new RawSource();
    s.kind = implied;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "kind" -> s.kind = p.getValueAsString("").toLowerCase(Locale.ROOT);
        case "filename" -> s.filename = p.getValueAsString();
        case "url" -> s.url = p.getValueAsString();
        case "headers" -> {
          ObjectNode h = object(p, t, "headers");
          if (h != null) {
            s.headers = new LinkedHashMap<>();
            h.properties().forEach(e -> s.headers.put(e.getKey(), e.getValue().asText()));
          }
        }
        case "base64_string" -> {
          if (t != JsonToken.VALUE_STRING) {
            throw new ApiException(422, "invalid_source", "sources[" + index + "].base64_string must be a string");
          }
          Path file = dir.resolve("source-" + index);
          try (OutputStream out = new CappedOutputStream(Files.newOutputStream(file), limit)) {
            p.readBinaryValue(BASE64, out);
          } catch (com.fasterxml.jackson.core.JsonParseException e) {
            throw new ApiException(422, "invalid_source", "sources[" + index + "].base64_string is not valid base64: "
                + e.getOriginalMessage());
          } catch (IllegalArgumentException e) {
            throw new ApiException(422, "invalid_source", "sources[" + index + "].base64_string is not valid base64: "
                + e.getMessage());
          }
          s.local = file;
        }
        default -> p.skipChildren();
      }
    }
    if ("s3".equals(s.kind)) {
      throw new ApiException(422, "unsupported_source", "source kind 's3' is not served by this API; name s3:// inputs"
          + " through jetmesh's own /v1/jobs API (POST /v1/jobs/pdf.docling.convert {\"input\": \"s3://...\"})");
    }
    if ("file".equals(s.kind)) {
      if (s.local == null) {
        throw new ApiException(422, "invalid_source", "sources[" + index + "] of kind 'file' needs 'base64_string'");
      }
      s.filename = RequestReader.safeName(s.filename == null ? "file" + index : s.filename);
      return s;
    }
    if ("http".equals(s.kind)) {
      if (s.url == null || s.url.isBlank()) {
        throw new ApiException(422, "invalid_source", "sources[" + index + "] of kind 'http' needs 'url'");
      }
      return s;
    }
    throw new ApiException(422, "invalid_source", "sources[" + index + "] needs 'kind': 'file' or 'http'"
        + (s.kind == null ? "" : ", not '" + s.kind + "'"));
  }

  private static final class DocumentTooLarge extends IOException {
    DocumentTooLarge() {
      super("document larger than the upload limit");
    }
  }

  /** Fails as soon as more than {@code max} bytes are written. */
  private static final class CappedOutputStream extends FilterOutputStream {
    private final long max;
    private long written;

    CappedOutputStream(OutputStream out, long max) {
      super(out);
      this.max = max;
    }

    @Override
    public void write(int b) throws IOException {
      count(1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count(len);
      out.write(b, off, len);
    }

    private void count(int n) throws IOException {
      written += n;
      if (written > max) {
        throw new DocumentTooLarge();
      }
    }
  }
}
