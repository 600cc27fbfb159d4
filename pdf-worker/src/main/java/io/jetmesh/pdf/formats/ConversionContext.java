package io.jetmesh.pdf.formats;

import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.worker.JobException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a converter may use while it runs: the limits, the OCR engine (images), the OCR languages, a cancellation
 * check to call between units of work, and a list to add warnings to (pictures that could not be read, charts
 * skipped). One per conversion.
 */
public final class ConversionContext {
  /** Checks whether the job was cancelled or timed out; throws {@code CANCELLED}/{@code TIMEOUT}. */
  @FunctionalInterface
  public interface Cancellation {
    void check() throws JobException;
  }

  private final FormatLimits limits;
  private final Supplier<OcrEngine> ocr;
  private final String ocrLanguages;
  private final boolean ocrEnabled;
  private final Cancellation cancellation;
  private final List<String> warnings = new ArrayList<>();

  private ConversionContext(Builder b) {
    this.limits = b.limits;
    this.ocr = b.ocr;
    this.ocrLanguages = b.ocrLanguages;
    this.ocrEnabled = b.ocrEnabled;
    this.cancellation = b.cancellation;
  }

  public static Builder builder() {
    return new Builder();
  }

  public FormatLimits limits() {
    return limits;
  }

  /** The OCR engine, or null when OCR is off or no engine is available. */
  public OcrEngine ocr() {
    return ocrEnabled && ocr != null ? ocr.get() : null;
  }

  public boolean ocrEnabled() {
    return ocrEnabled;
  }

  public String ocrLanguages() {
    return ocrLanguages;
  }

  public void checkCancelled() throws JobException {
    cancellation.check();
  }

  public void warn(String warning) {
    if (warnings.size() < 100) {
      warnings.add(warning);
    }
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  public static final class Builder {
    private FormatLimits limits = FormatLimits.DEFAULT;
    private Supplier<OcrEngine> ocr;
    private String ocrLanguages = "eng";
    private boolean ocrEnabled = true;
    private Cancellation cancellation = () -> { };

    public Builder limits(FormatLimits l) {
      this.limits = Objects.requireNonNull(l, "limits == null");
      return this;
    }

    public Builder ocr(Supplier<OcrEngine> engine) {
      this.ocr = engine;
      return this;
    }

    public Builder ocrLanguages(String langs) {
      this.ocrLanguages = Objects.requireNonNull(langs, "ocrLanguages == null");
      return this;
    }

    public Builder ocrEnabled(boolean enabled) {
      this.ocrEnabled = enabled;
      return this;
    }

    public Builder cancellation(Cancellation c) {
      this.cancellation = Objects.requireNonNull(c, "cancellation == null");
      return this;
    }

    public ConversionContext build() {
      return new ConversionContext(this);
    }
  }
}
