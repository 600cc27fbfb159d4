package io.jetmesh.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorConfig;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * Language identification with Apache OpenNLP's maximum-entropy detector and its {@code langdetect-183} model (103
 * languages, ISO 639-3 codes; Maven Central {@code org.apache.opennlp:opennlp-models-langdetect}).
 *
 * <p>Chosen over Lingua: Lingua is more accurate on very short texts, but its jar is about 77 MB and it needs up to
 * 1.8 GB of heap with all languages loaded; OpenNLP is a 1.4 MB library plus a 10.5 MB model and a few tens of MB of
 * heap, it is an Apache project with regular releases, and it runs offline. Short texts (a few words) are where it is
 * weakest, so results carry a confidence and a {@code reliable} flag instead of a bare code.
 */
final class LanguageDetection {
  /** One detection. {@code iso6391} is the two-letter code where one exists, else null. */
  record Result(String language, String iso6391, double confidence, boolean reliable, List<Language> alternatives) {}

  /** Below this many letters a detection is never called reliable. */
  static final int MIN_RELIABLE_LETTERS = 20;
  private static final double MIN_RELIABLE_CONFIDENCE = 0.35;
  private static final double MIN_RELIABLE_MARGIN = 1.5;
  private static final int MAX_CHARS_PER_CALL = 20_000;
  private static final Map<String, String> ISO3_TO_ISO1 = new HashMap<>();

  static {
    for (String iso1 : Locale.getISOLanguages()) {
      try {
        ISO3_TO_ISO1.put(new Locale(iso1).getISO3Language(), iso1);
      } catch (java.util.MissingResourceException e) {
        // no three-letter code for this language
      }
    }
    // macrolanguage members and individual codes that the model uses
    ISO3_TO_ISO1.put("cmn", "zh");
    ISO3_TO_ISO1.put("nob", "nb");
    ISO3_TO_ISO1.put("nno", "nn");
    ISO3_TO_ISO1.put("pes", "fa");
    ISO3_TO_ISO1.put("zsm", "ms");
    ISO3_TO_ISO1.put("lvs", "lv");
    ISO3_TO_ISO1.put("ekk", "et");
    ISO3_TO_ISO1.put("swh", "sw");
    ISO3_TO_ISO1.put("arb", "ar");
    ISO3_TO_ISO1.put("uzn", "uz");
    ISO3_TO_ISO1.put("azj", "az");
    ISO3_TO_ISO1.put("khk", "mn");
  }

  private final LanguageDetectorModel model;
  private final ThreadLocal<LanguageDetectorME> detectors;
  private final LanguageDetectorConfig probing;

  private LanguageDetection(LanguageDetectorModel model) {
    this.model = model;
    // LanguageDetectorME keeps per-call state; the model is shared and immutable
    this.detectors = ThreadLocal.withInitial(() -> new LanguageDetectorME(model));
    this.probing = new LanguageDetectorConfig();
    this.probing.setMaxLength(MAX_CHARS_PER_CALL * 5);
  }

  static LanguageDetection load() throws IOException {
    try (InputStream in = LanguageDetection.class.getResourceAsStream("/langdetect-183.bin")) {
      if (in == null) {
        throw new IOException("langdetect-183.bin missing: is org.apache.opennlp:opennlp-models-langdetect on the classpath?");
      }
      return new LanguageDetection(new LanguageDetectorModel(in));
    }
  }

  String modelName() {
    return "opennlp-langdetect-183";
  }

  int supportedLanguages() {
    return detectors.get().getSupportedLanguages().length;
  }

  /**
   * Detects the language of {@code text}. Long texts are probed in slices until the answer is stable, so the cost
   * is bounded whatever the length.
   */
  Result detect(String text) {
    int letters = letters(text);
    if (letters == 0) {
      return new Result("und", null, 0, false, List.of());
    }
    Language[] langs;
    if (text.length() > MAX_CHARS_PER_CALL) {
      langs = detectors.get().probingPredictLanguages(text, probing).languages();
    } else {
      langs = detectors.get().predictLanguages(text);
    }
    Language best = langs[0];
    double second = langs.length > 1 ? langs[1].getConfidence() : 0;
    boolean reliable = letters >= MIN_RELIABLE_LETTERS && best.getConfidence() >= MIN_RELIABLE_CONFIDENCE
        && best.getConfidence() >= second * MIN_RELIABLE_MARGIN;
    List<Language> alternatives = new ArrayList<>();
    for (int i = 1; i < Math.min(4, langs.length); i++) {
      alternatives.add(langs[i]);
    }
    return new Result(best.getLang(), iso6391(best.getLang()), best.getConfidence(), reliable, alternatives);
  }

  static String iso6391(String iso3) {
    return ISO3_TO_ISO1.get(iso3);
  }

  /** Whether {@code language} (ISO 639-3) is one of {@code supported} (ISO 639-1 or -3 codes; empty = any). */
  static boolean isSupported(String language, List<String> supported) {
    if (supported.isEmpty() || supported.contains("*") || supported.contains("any")) {
      return true;
    }
    String iso1 = iso6391(language);
    for (String s : supported) {
      if (s.equalsIgnoreCase(language) || iso1 != null && s.equalsIgnoreCase(iso1)) {
        return true;
      }
    }
    return false;
  }

  private static int letters(String text) {
    int n = 0;
    for (int i = 0; i < text.length() && n < MIN_RELIABLE_LETTERS * 10; i++) {
      if (Character.isLetter(text.charAt(i))) {
        n++;
      }
    }
    return n;
  }
}
