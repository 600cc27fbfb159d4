package io.jetmesh.pdf.formats;

import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.docling.DocumentModel;
import io.jetmesh.pdf.formats.csv.CsvConverter;
import io.jetmesh.pdf.formats.docx.DocxConverter;
import io.jetmesh.pdf.formats.html.HtmlConverter;
import io.jetmesh.pdf.formats.image.ImageConverter;
import io.jetmesh.pdf.formats.markdown.MarkdownConverter;
import io.jetmesh.pdf.formats.text.AsciiDocConverter;
import io.jetmesh.pdf.formats.text.PlainTextConverter;
import io.jetmesh.pdf.formats.pptx.PptxConverter;
import io.jetmesh.pdf.formats.xlsx.XlsxConverter;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Converts any served non-PDF input into the DoclingDocument model: dispatches on the detected type to one
 * converter per format and turns what goes wrong into the right answer: a damaged file is {@code INVALID_INPUT}
 * naming the format and what to do, a limit is {@code TOO_LARGE} naming the option, a type nobody serves is
 * {@code UNSUPPORTED} naming the type and what to convert it to.
 */
public final class FormatConverters {
  /** A converted document, its page count (slides, sheets; 0 for documents without pages) and warnings. */
  public record Result(DocumentModel model, int pageCount, List<String> warnings) {}

  private FormatConverters() {}

  /**
   * Converts {@code file}.
   *
   * @param name the document name (the file name without its extension)
   * @param filename the file name as given by the client
   * @throws JobException INVALID_INPUT for a damaged file, TOO_LARGE past a limit, UNSUPPORTED for a type that is
   *     not served, CANCELLED/TIMEOUT when the job stops
   */
  public static Result convert(Path file, Detection detection, String name, String filename, BigInteger hash,
                               ConversionContext cx) throws JobException {
    InputFormat f = detection.format();
    if (!f.served() || f == InputFormat.PDF) {
      throw unsupported(detection, "convert");
    }
    DocTree tree = DocTree.create(cx.limits().maxItems());
    DocumentConverter converter = converter(f);
    try {
      converter.convert(file, detection, cx, tree);
    } catch (LimitExceededException e) {
      throw new JobException(ErrorCode.TOO_LARGE, what(f) + ": " + e.getMessage()
          + "; lower-level limits can only be tightened by job options, split the document to convert it");
    } catch (IOException e) {
      LimitExceededException limit = LimitExceededException.find(e);
      if (limit != null) {
        throw new JobException(ErrorCode.TOO_LARGE, what(f) + ": " + limit.getMessage());
      }
      throw JobException.invalidInput("damaged " + what(f) + ", cannot be read: " + e.getMessage()
          + "; open and re-save it in its application (or export it again) and submit it again", e);
    } catch (DocTree.TooManyItemsException e) {
      throw new JobException(ErrorCode.TOO_LARGE, what(f) + ": " + e.getMessage());
    } catch (OutOfMemoryError e) {
      throw new JobException(ErrorCode.TOO_LARGE, what(f) + " needs more memory than this worker has");
    } catch (StackOverflowError e) {
      throw JobException.invalidInput(what(f) + " is nested too deeply to convert");
    }
    DocumentModel model = tree.build(name, filename, hash, detection.mimetype());
    return new Result(model, model.pages().size(), cx.warnings());
  }

  private static DocumentConverter converter(InputFormat f) {
    return switch (f) {
      case CSV -> CsvConverter::convert;
      case MD -> MarkdownConverter::convert;
      case HTML -> HtmlConverter::convert;
      case XLSX -> XlsxConverter::convert;
      case DOCX -> DocxConverter::convert;
      case PPTX -> PptxConverter::convert;
      case ASCIIDOC -> AsciiDocConverter::convert;
      case TEXT -> PlainTextConverter::convert;
      case PNG, JPEG, TIFF, BMP, GIF, WEBP -> ImageConverter::convert;
      default -> (file, d, cx, tree) -> {
        throw unsupported(d, "convert");
      };
    };
  }

  private static String what(InputFormat f) {
    return f.id().toUpperCase(Locale.ROOT);
  }

  /**
   * The answer for a type an operation does not take: names the detected type, what the operation takes, and what
   * the user can do.
   */
  public static JobException unsupported(Detection d, String operation) {
    String served = InputFormat.servedFormats().stream().map(InputFormat::id).collect(Collectors.joining(", "));
    String advice = switch (d.format()) {
      case DOC -> "save it as .docx (Word: File > Save As) and submit that";
      case XLS -> "save it as .xlsx and submit that";
      case PPT -> "save it as .pptx and submit that";
      case ENCRYPTED_OFFICE -> "remove its password (File > Info > Protect) and submit it again";
      case ODT, RTF -> "save it as .docx or export it as PDF and submit that";
      case ODS -> "save it as .xlsx and submit that";
      case ODP -> "save it as .pptx or export it as PDF and submit that";
      case EPUB -> "convert it to HTML or PDF and submit that";
      case ZIP -> "unpack it and submit the files it holds";
      default -> "submit one of those types";
    };
    return JobException.unsupported("the input is " + d.format().description() + " (" + d.evidence() + "); "
        + "pdf.docling." + operation + " takes " + served + ": " + advice);
  }
}
