package io.jetmesh.pdf.formats.csv;

import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.CsvSniffer;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.LimitExceededException;
import io.jetmesh.pdf.formats.TextInput;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV as docling reads it: the delimiter sniffed among comma, semicolon, tab, pipe and colon ({@link CsvSniffer}),
 * one table whose first row is the header, rows shorter than the widest padded with empty cells (docling warns
 * about inconsistent rows and keeps them), quoted fields with delimiters and line breaks kept whole.
 */
public final class CsvConverter {
  private CsvConverter() {}

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    String text = TextInput.read(file, cx.limits());
    char delimiter = CsvSniffer.delimiter(text);
    CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreSurroundingSpaces(false)
        .setAllowMissingColumnNames(true).setTrim(false).get();
    List<List<String>> rows = new ArrayList<>();
    long cells = 0;
    int width = 0;
    boolean uneven = false;
    try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(format).get()) {
      for (CSVRecord r : parser) {
        if ((rows.size() & 1023) == 0) {
          cx.checkCancelled();
        }
        List<String> row = r.toList();
        cells += row.size();
        if (cells > cx.limits().maxCells()) {
          throw new LimitExceededException("the CSV has more than " + cx.limits().maxCells() + " cells (max_cells)");
        }
        if (!rows.isEmpty() && row.size() != rows.get(0).size()) {
          uneven = true;
        }
        width = Math.max(width, row.size());
        rows.add(row);
      }
    } catch (UncheckedIOException e) {
      throw new IOException("malformed CSV: " + e.getCause().getMessage(), e.getCause());
    } catch (IllegalStateException e) {
      throw new IOException("malformed CSV: " + e.getMessage(), e);
    }
    if (uneven) {
      cx.warn("the CSV rows have different numbers of columns; short rows were padded with empty cells");
    }
    if (rows.isEmpty()) {
      cx.warn("the CSV is empty");
      return;
    }
    List<TableCell> out = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      for (int c = 0; c < row.size(); c++) {
        out.add(new TableCell(r, c, 1, 1, row.get(c), r == 0, false, 0, 0, 0, 0));
      }
    }
    tree.table(new Table(0, 0, 0, 0, 0, rows.size(), width, out, "csv"));
  }
}
