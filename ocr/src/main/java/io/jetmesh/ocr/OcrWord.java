package io.jetmesh.ocr;

/** One recognised word with its box and the engine's confidence in [0, 1]. */
public record OcrWord(String text, OcrBox box, float confidence) {}
