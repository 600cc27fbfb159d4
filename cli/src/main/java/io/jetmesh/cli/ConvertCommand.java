package io.jetmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.ConvertOptions;
import io.jetmesh.protocol.FileFormats;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Convert documents like docling does, through the mesh's pdf.docling.convert service.",
        "Takes PDF, DOCX, PPTX, XLSX/XLSM, HTML, Markdown, CSV, AsciiDoc, text and PNG/JPEG/TIFF/BMP/GIF/WebP images "
            + "(the type is detected from the content) and writes <stem>.md (Markdown), <stem>.json (DoclingDocument "
            + "JSON), <stem>.txt, <stem>.html and <stem>.doctags into DIR. A directory converts every file of a type the "
            + "service declares in namespaces.yaml (input_formats); other files are skipped and listed on stderr."},
    footer = {"%nExample: jetmesh convert report.pdf slides.pptx --to md,json --output out/", ExitCodes.HELP})
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Documents or directories")
  List<Path> files;

  @Option(names = "--to", split = ",", paramLabel = "FORMAT", defaultValue = "md,json,text", description = "Any of md, json, text, html, doctags (default: ${DEFAULT-VALUE})")
  List<String> formats;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "jetmesh-output", description = "Output directory (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--ocr", paramLabel = "MODE", defaultValue = "auto", description = "OCR: auto (pages without text), force, off (default: ${DEFAULT-VALUE})")
  String ocr;

  @Option(names = "--ocr-lang", paramLabel = "LANG", defaultValue = "eng", split = ",", description = "Tesseract languages (default: ${DEFAULT-VALUE})")
  List<String> ocrLang;

  @Option(names = "--page-range", paramLabel = "FROM-TO", description = "Convert only these pages, 1-based and inclusive: 2-5, or 3 for one page (docling's page_range; default: every page)")
  String pageRange;

  // docling's table modes: accepted so that docling command lines keep working, not shown: jetmesh runs the same
  // table detection in both (docs/pdf-worker.md)
  @Option(names = "--table-mode", paramLabel = "MODE", defaultValue = "fast", hidden = true)
  String tableMode;

  @Option(names = "--pdf-password", paramLabel = "PASSWORD", description = "Password of encrypted PDFs")
  String password;

  @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "4", description = "Documents in flight (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ConvertOptions.Builder opts = ConvertOptions.builder().toFormats(formats.toArray(new String[0])).ocrMode(ocr)
        .ocrLanguages(ocrLang.toArray(new String[0])).tableMode(tableMode);
    if (password != null) {
      opts.password(password);
    }
    if (pageRange != null) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d{1,9})\\s*(?:-\\s*(\\d{1,9})\\s*)?").matcher(pageRange);
      try {
        if (!m.matches()) {
          throw new IllegalArgumentException("not FROM-TO");
        }
        int from = Integer.parseInt(m.group(1));
        opts.pageRange(from, m.group(2) == null ? from : Integer.parseInt(m.group(2)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--page-range must be FROM-TO with 1 <= FROM <= TO (e.g. 2-5) or one "
            + "page number, got '" + pageRange + "'", e);
      }
    }
    List<Path> inputs = servedFiles(files, connection.registry().requireSubject("pdf.docling.convert")
        .inputFormats("convert"), err);
    if (inputs.isEmpty()) {
      err.println("no file to convert: pdf.docling.convert takes " + String.join(", ", connection.registry()
          .requireSubject("pdf.docling.convert").inputFormats("convert")));
      return ExitCodes.USAGE;
    }
    MeshSession.requireEmbeddedWorker(connection, "pdf.docling.convert");
    try (MeshSession session = MeshSession.forSubject(connection, true, "pdf.docling.convert", err)) {
      session.requireLiveWorker("pdf.docling.convert");
      var outcomes = FileJobs.run(session.client, "pdf.docling.convert", inputs, opts.build().toJson(), null, concurrency,
          output, ConvertCommand::writeExports, err);
      return RunCommand.report(outcomes, spec.commandLine().getOut());
    }
  }

  /**
   * The files to send: named files always (the worker answers for a type it does not take), the files of a
   * directory only when their extension is a declared input format; the skipped ones are listed on {@code err}.
   */
  static List<Path> servedFiles(List<Path> args, List<String> formats, PrintWriter err) throws java.io.IOException {
    List<Path> out = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Path p : args) {
      if (Files.isDirectory(p)) {
        for (Path f : FileJobs.expand(List.of(p))) {
          String id = FileFormats.idOf(f.getFileName().toString()).orElse(null);
          if (formats.isEmpty() || id != null && formats.contains(id)) {
            out.add(f);
          } else {
            skipped.add(f.getFileName().toString());
          }
        }
      } else {
        out.addAll(FileJobs.expand(List.of(p)));
      }
    }
    if (!skipped.isEmpty()) {
      err.println("skipped " + skipped.size() + " file(s) of a type pdf.docling.convert does not take: "
          + String.join(", ", skipped));
    }
    return out;
  }

  /**
   * docling-style outputs: {@code <stem>.md}, {@code <stem>.json}, {@code <stem>.txt}, {@code <stem>.html},
   * {@code <stem>.doctags}; when two inputs share a stem ({@code a.pdf}, {@code a.docx}) the full file name is used.
   */
  static List<Path> writeExports(Path file, JsonNode output, Path outDir) throws java.io.IOException {
    String base = FileJobs.stem(file);
    String stem = base;
    try (var siblings = Files.list(file.toAbsolutePath().getParent())) {
      if (siblings.filter(f -> !f.getFileName().equals(file.getFileName()) && FileJobs.stem(f).equals(base)).findAny()
          .isPresent()) {
        stem = file.getFileName().toString();
      }
    } catch (java.io.IOException | RuntimeException e) {
      // the directory cannot be listed: keep the stem
    }
    List<Path> written = new ArrayList<>();
    if (output.hasNonNull("markdown")) {
      written.add(Files.writeString(outDir.resolve(stem + ".md"), output.get("markdown").asText(), StandardCharsets.UTF_8));
    }
    if (output.hasNonNull("document")) {
      written.add(Files.writeString(outDir.resolve(stem + ".json"), FileJobs.pretty(output.get("document")), StandardCharsets.UTF_8));
    }
    if (output.hasNonNull("text")) {
      written.add(Files.writeString(outDir.resolve(stem + ".txt"), output.get("text").asText(), StandardCharsets.UTF_8));
    }
    if (output.hasNonNull("html")) {
      written.add(Files.writeString(outDir.resolve(stem + ".html"), output.get("html").asText(), StandardCharsets.UTF_8));
    }
    if (output.hasNonNull("doctags")) {
      written.add(Files.writeString(outDir.resolve(stem + ".doctags"), output.get("doctags").asText(),
          StandardCharsets.UTF_8));
    }
    if (written.isEmpty()) {
      written.addAll(FileJobs.JSON_WRITER.write(file, output, outDir));
    }
    return written;
  }
}
