/**
 * Table extraction on PDFBox 3: ruled (lattice) and unruled (stream) tables from a page's words and rulings.
 *
 * <p>Entry point: {@link io.jetmesh.pdf.tables.TableExtractor#extract(PageContent)} (thread-safe, stateless),
 * fed with the words and rulings of the worker's one content-stream pass ({@code PageAnalyzer.content} and
 * {@code PageAnalyzer.finish}, from {@code layout.PageCollector}) in top-left-origin PDF points of the displayed
 * page.
 *
 * <p>How it works:
 * <ul>
 *   <li><b>Rulings</b> ({@code layout.PageCollector}): stroked axis-aligned segments and thin filled rectangles,
 *       CTM and page rotation applied. Curves and slanted segments, where a caller supplies them as
 *       {@link io.jetmesh.pdf.tables.Graphic}s, mark charts.</li>
 *   <li><b>Lattice</b>: collinear segments merged; connected groups of horizontal and vertical rulings form a
 *       grid (horizontal rules reaching past the outer verticals add a stub column); grid units not separated
 *       by a rule merge into spanning cells. Ruled frames with partial rules are completed from the text: bands
 *       holding several aligned lines of figures are split into rows, gaps that hold exactly one column line
 *       split cells, row rules drawn across part of a row split the open columns. Caption/notes rows inside the
 *       frame are trimmed; boxed paragraphs (fewer than two rows with two filled cells) are not tables.</li>
 *   <li><b>Stream</b>: lines split into segments at gaps wider than 0.9 em; runs of lines with two or more
 *       short segments are candidates; columns are the x ranges no word of the data lines covers (lines with
 *       figures define them when there are enough); header lines above are added when they fit the columns;
 *       wrapped lines (lower-case continuation) merge into their row. Candidates that look like lists, prose
 *       columns (two or more columns of 4+ word phrases), or accidental alignments are rejected.</li>
 *   <li><b>Headers</b> ({@code HeaderFlags}): the top row (and the row below a spanning top cell) unless it is
 *       data; stream headers are the lines above the data run. First column as row header when the other
 *       columns are numeric and it is not.</li>
 *   <li><b>Charts</b>: a table over 12 or more curved/slanted path segments is dropped (tick labels and legends
 *       align like columns).</li>
 * </ul>
 *
 * <p>Quality is measured with {@code io.jetmesh.pdf.tables.eval.IcdarEval} (in src/test) on the ICDAR 2013 developer set
 * (see the class comment for the command); {@code IcdarRegressionTest} keeps a floor.
 */
package io.jetmesh.pdf.tables;
