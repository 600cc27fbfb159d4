package io.jetmesh.text;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Counts and readability of a text: characters, words and sentences ({@link BreakIterator}), paragraphs, reading
 * time, Flesch reading ease and Flesch-Kincaid grade (syllables by a vowel-group heuristic), and top keywords
 * (term frequency without stopwords) and key phrases (RAKE candidates: runs of up to four content words between
 * stopwords and punctuation, ranked by how often they occur, then by RAKE's word degree over frequency). The readability formulas and the stopword list are for English; for other
 * languages the counts hold but the scores are indicative only.
 */
final class TextStatistics {
  /** Everything {@link #compute} measures. */
  record Stats(long characters, long charactersNoSpaces, long words, long sentences, long paragraphs, long syllables,
      double averageWordsPerSentence, double averageSyllablesPerWord, double readingTimeSeconds,
      double fleschReadingEase, double fleschKincaidGrade, List<Map.Entry<String, Integer>> keywords,
      List<Map.Entry<String, Double>> keyphrases) {}

  static final Set<String> STOPWORDS = Set.of(
      "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "aren't", "as",
      "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could",
      "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "either", "etc",
      "few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "her", "here",
      "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "isn't", "it", "it's",
      "its", "itself", "just", "let's", "may", "me", "might", "more", "most", "much", "must", "mustn't", "my", "myself",
      "neither", "no", "nor", "not", "of", "off", "on", "once", "one", "only", "or", "other", "ought", "our", "ours",
      "ourselves", "out", "over", "own", "same", "shall", "she", "should", "shouldn't", "so", "some", "such", "than",
      "that", "that's", "the", "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they",
      "this", "those", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was",
      "wasn't", "we", "were", "weren't", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose",
      "why", "will", "with", "within", "without", "won't", "would", "wouldn't", "yet", "you", "your", "yours",
      "yourself", "yourselves", "e.g", "i.e", "eg", "ie", "across", "like", "use", "used", "using", "new", "many", "well",
      "even", "make", "made", "get", "since", "still", "often", "every", "another", "way", "ways", "yes", "among", "along", "around", "per");

  private TextStatistics() {}

  /**
   * @param paragraphs the text's paragraphs (document items), so Markdown syntax and page furniture do not count
   * @param wordsPerMinute reading speed for the reading time
   */
  static Stats compute(List<String> paragraphs, Locale locale, int wordsPerMinute, int topKeywords,
      HybridChunker.Checkpoint checkpoint) throws io.jetmesh.worker.JobException {
    long chars = 0;
    long noSpace = 0;
    long words = 0;
    long sentences = 0;
    long syllables = 0;
    long paras = 0;
    Map<String, Integer> tf = new HashMap<>();
    Map<String, Integer> freq = new HashMap<>();
    Map<String, Integer> degree = new HashMap<>();
    Map<String, Integer> phraseCounts = new LinkedHashMap<>();
    BreakIterator wordIt = BreakIterator.getWordInstance(locale);
    BreakIterator sentIt = BreakIterator.getSentenceInstance(locale);
    int n = 0;
    for (String p : paragraphs) {
      if ((++n & 255) == 0) {
        checkpoint.check();
      }
      if (p.isBlank()) {
        continue;
      }
      paras++;
      chars += p.codePointCount(0, p.length());
      for (int i = 0; i < p.length(); i++) {
        if (!Character.isWhitespace(p.charAt(i)) && !Character.isLowSurrogate(p.charAt(i))) {
          noSpace++;
        }
      }
      sentIt.setText(p);
      int s = sentIt.first();
      for (int e = sentIt.next(); e != BreakIterator.DONE; s = e, e = sentIt.next()) {
        if (hasLetterOrDigit(p, s, e)) {
          sentences++;
        }
      }
      wordIt.setText(p);
      List<String> phrase = new ArrayList<>();
      int ws = wordIt.first();
      for (int we = wordIt.next(); we != BreakIterator.DONE; ws = we, we = wordIt.next()) {
        String token = p.substring(ws, we);
        if (!hasLetterOrDigit(p, ws, we)) {
          // punctuation ends a key phrase; plain spaces do not
          if (!token.isBlank()) {
            closePhrase(phrase, freq, degree, phraseCounts);
          }
          continue;
        }
        words++;
        String w = token.toLowerCase(locale);
        syllables += syllables(w);
        boolean content = w.length() > 2 && !STOPWORDS.contains(w) && hasLetter(w);
        if (content) {
          tf.merge(w, 1, Integer::sum);
          phrase.add(w);
        } else {
          closePhrase(phrase, freq, degree, phraseCounts);
        }
      }
      closePhrase(phrase, freq, degree, phraseCounts);
    }
    sentences = Math.max(sentences, words > 0 ? 1 : 0);
    double wps = sentences == 0 ? 0 : (double) words / sentences;
    double spw = words == 0 ? 0 : (double) syllables / words;
    double ease = words == 0 ? 0 : 206.835 - 1.015 * wps - 84.6 * spw;
    double grade = words == 0 ? 0 : 0.39 * wps + 11.8 * spw - 15.59;
    List<Map.Entry<String, Integer>> keywords = tf.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(topKeywords)
        .map(e -> Map.entry(e.getKey(), e.getValue()))
        .toList();
    Map<String, Double> phraseScores = new HashMap<>();
    for (Map.Entry<String, Integer> e : phraseCounts.entrySet()) {
      double score = 0;
      for (String w : e.getKey().split(" ")) {
        score += (double) degree.get(w) / freq.get(w);
      }
      phraseScores.put(e.getKey(), score);
    }
    List<Map.Entry<String, Double>> keyphrases = phraseScores.entrySet().stream()
        .filter(e -> e.getKey().indexOf(' ') > 0 || phraseCounts.get(e.getKey()) > 1)
        // a phrase the text repeats beats a long one-off (plain RAKE favours long phrases); RAKE breaks ties
        .sorted(Comparator.<Map.Entry<String, Double>>comparingInt(e -> -phraseCounts.get(e.getKey()))
            .thenComparingDouble(e -> -e.getValue())
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(topKeywords)
        .map(e -> Map.entry(e.getKey(), round(e.getValue(), 2)))
        .toList();
    return new Stats(chars, noSpace, words, sentences, paras, syllables, round(wps, 2), round(spw, 3),
        round(words * 60.0 / wordsPerMinute, 1), round(ease, 1), round(grade, 1), keywords, keyphrases);
  }

  private static void closePhrase(List<String> phrase, Map<String, Integer> freq, Map<String, Integer> degree,
      Map<String, Integer> phrases) {
    if (phrase.isEmpty()) {
      return;
    }
    if (phrase.size() <= 4) {
      for (String w : phrase) {
        freq.merge(w, 1, Integer::sum);
        degree.merge(w, phrase.size(), Integer::sum);
      }
      phrases.merge(String.join(" ", phrase), 1, Integer::sum);
    }
    phrase.clear();
  }

  /**
   * English syllables by vowel groups: count runs of vowels (y counts after the first letter), drop a silent final
   * e (but not -le after a consonant), at least one per word. About 90 % exact on common English words.
   */
  static int syllables(String word) {
    String w = word.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    if (w.isEmpty()) {
      return word.isEmpty() ? 0 : 1; // numbers and non-Latin words count as one
    }
    if (w.length() <= 3) {
      return 1;
    }
    int count = 0;
    boolean prevVowel = false;
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      boolean vowel = "aeiou".indexOf(c) >= 0 || c == 'y' && i > 0;
      if (vowel && !prevVowel) {
        count++;
      }
      prevVowel = vowel;
    }
    if (w.endsWith("e") && !w.endsWith("le") && !w.endsWith("ee") && count > 1) {
      count--;
    } else if (w.endsWith("le") && w.length() > 2 && "aeiouy".indexOf(w.charAt(w.length() - 3)) >= 0 && count > 1) {
      count--;
    }
    if (w.endsWith("es") || w.endsWith("ed")) {
      // "-es"/"-ed" is silent unless after t/d (ed) or s/x/z/ch/sh (es)
      char before = w.length() > 2 ? w.charAt(w.length() - 3) : ' ';
      boolean voiced = w.endsWith("ed") ? before == 't' || before == 'd' : "sxz".indexOf(before) >= 0 || w.endsWith("ches")
          || w.endsWith("shes");
      if (!voiced && count > 1) {
        count--;
      }
    }
    return Math.max(1, count);
  }

  private static boolean hasLetterOrDigit(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.isLetterOrDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLetter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isLetter(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
