package io.jetmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.ConvertOptions;
import io.jetmesh.runtime.cli.ConnectionOptions;
import io.jetmesh.runtime.cli.ExitCodes;
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
    description = {"Convert PDFs like docling does, through the mesh's pdf.docling.convert service: writes",
        "<stem>.md (Markdown), <stem>.json (DoclingDocument JSON) and <stem>.txt (plain text) into DIR."},
    footer = {"%nExample: jetmesh convert report.pdf --to md,json --output out/", ExitCodes.HELP})
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "PDF files or directories")
  List<Path> files;

  @Option(names = "--to", split = ",", paramLabel = "FORMAT", defaultValue = "md,json,text", description = "Any of md, json, text (default: ${DEFAULT-VALUE})")
  List<String> formats;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "jetmesh-output", description = "Output directory (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--ocr", paramLabel = "MODE", defaultValue = "auto", description = "OCR: auto (pages without text), force, off (default: ${DEFAULT-VALUE})")
  String ocr;

  @Option(names = "--ocr-lang", paramLabel = "LANG", defaultValue = "eng", split = ",", description = "Tesseract languages (default: ${DEFAULT-VALUE})")
  List<String> ocrLang;

  @Option(names = "--table-mode", paramLabel = "MODE", defaultValue = "fast", description = "fast or accurate (default: ${DEFAULT-VALUE})")
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
    List<Path> inputs = FileJobs.expand(files);
    try (MeshSession session = MeshSession.open(connection, true, err)) {
      var outcomes = FileJobs.run(session.client, "pdf.docling.convert", inputs, opts.build().toJson(), null, concurrency,
          output, ConvertCommand::writeExports, err);
      return RunCommand.report(outcomes, spec.commandLine().getOut());
    }
  }

  /** docling-style outputs: {@code <stem>.md}, {@code <stem>.json}, {@code <stem>.txt}. */
  static List<Path> writeExports(Path file, JsonNode output, Path outDir) throws java.io.IOException {
    String stem = FileJobs.stem(file);
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
    if (written.isEmpty()) {
      written.addAll(FileJobs.JSON_WRITER.write(file, output, outDir));
    }
    return written;
  }
}
