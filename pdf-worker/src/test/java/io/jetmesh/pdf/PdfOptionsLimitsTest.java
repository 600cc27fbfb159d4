package io.jetmesh.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.protocol.Json;
import io.jetmesh.worker.JobException;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, High 5: {@code max_image_pixels} sent as a job option raised the pixel-bomb guard and a 901-byte PDF
 * then killed the worker. The PDF options only lower the worker's limits, whatever the registry says.
 */
class PdfOptionsLimitsTest {
  @Test
  void pixelAndPageLimitsOnlyGoDown() throws JobException {
    assertThat(PdfOptions.from(Json.object().put("max_image_pixels", Long.MAX_VALUE)).maxImagePixels())
        .isEqualTo(PdfOptions.DEFAULT_MAX_IMAGE_PIXELS);
    assertThat(PdfOptions.from(Json.object().put("max_image_pixels", 1000)).maxImagePixels()).isEqualTo(1000);
    assertThat(PdfOptions.from(Json.object().put("max_pages", Integer.MAX_VALUE)).maxPages())
        .isEqualTo(PdfOptions.DEFAULT_MAX_PAGES);
    assertThat(PdfOptions.from(Json.object().put("max_pages", 3)).maxPages()).isEqualTo(3);
    assertThatThrownBy(() -> PdfOptions.from(Json.object().put("max_image_pixels", 0)))
        .isInstanceOf(JobException.class).hasMessageContaining("max_image_pixels");
  }
}
