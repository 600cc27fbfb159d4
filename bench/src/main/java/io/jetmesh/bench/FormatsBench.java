package io.jetmesh.bench;

import io.jetmesh.pdf.docling.DoclingJson;
import io.jetmesh.pdf.docling.Exporters;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.FormatConverters;
import io.jetmesh.pdf.formats.FormatDetector;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts files the way {@code pdf.docling.convert} does for non-PDF inputs (type detection, conversion,
 * Markdown and DoclingDocument JSON exports), in one JVM, {@code --repeat} times over the list; prints the number
 * of documents converted and failed. bench/formats-peers.sh times it against Apache Tika on the same files:
 * <pre>java -cp ... io.jetmesh.bench.FormatsBench [--repeat N] FILE...</pre>
 */
public final class FormatsBench {
  private FormatsBench() {}

  public static void main(String[] args) throws Exception {
    int repeat = 1;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--repeat")) {
        repeat = Integer.parseInt(args[++i]);
      } else {
        files.add(Path.of(args[i]));
      }
    }
    int ok = 0;
    int failed = 0;
    long chars = 0;
    for (int r = 0; r < repeat; r++) {
      for (Path f : files) {
        try {
          String name = f.getFileName().toString();
          Detection d = FormatDetector.detect(f, name);
          FormatConverters.Result res = FormatConverters.convert(f, d, name, name, BigInteger.ONE,
              ConversionContext.builder().ocrEnabled(false).build());
          chars += Exporters.markdown(res.model()).length() + DoclingJson.write(res.model()).size();
          ok++;
        } catch (Exception e) {
          failed++;
          System.err.println(f + ": " + e.getMessage());
        }
      }
    }
    System.out.println("documents " + ok + " failed " + failed + " output-chars " + chars);
  }
}
