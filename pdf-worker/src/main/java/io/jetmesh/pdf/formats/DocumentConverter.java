package io.jetmesh.pdf.formats;

import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Converts one input type into the DoclingDocument model, the way docling's backend for that type does. A damaged
 * input throws {@link IOException} (answered {@code INVALID_INPUT}); a limit throws {@link LimitExceededException}
 * ({@code TOO_LARGE}); cancellation and other job failures throw {@link JobException}.
 */
interface DocumentConverter {
  void convert(Path file, Detection detection, ConversionContext cx, DocTree tree) throws IOException, JobException;
}
