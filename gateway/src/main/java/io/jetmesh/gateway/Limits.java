package io.jetmesh.gateway;

import io.jetmesh.protocol.Units;

/**
 * What one caller (API key or token subject) may do through one gateway.
 *
 * @param maxUploadBytes largest accepted upload; larger ones are refused with 413 while they are being read
 * @param maxConcurrentJobs jobs of this caller submitted through this gateway and not finished yet
 * @param ratePerSecond sustained request rate (token bucket refill)
 * @param burst token bucket size: requests allowed at once after a quiet period
 * @param maxStreams event streams ({@code /v1/jobs/{id}/events}) of this caller open at once on this gateway
 */
public record Limits(long maxUploadBytes, int maxConcurrentJobs, double ratePerSecond, int burst, int maxStreams) {
  /** Default event streams per caller: twice the default concurrent jobs, so the web page never runs out. */
  public static final int DEFAULT_MAX_STREAMS = 32;
  public static final Limits DEFAULTS = new Limits(100L << 20, 16, 20, 60, DEFAULT_MAX_STREAMS);

  public Limits {
    if (maxUploadBytes <= 0 || maxConcurrentJobs <= 0 || !(ratePerSecond > 0) || burst <= 0 || maxStreams <= 0) {
      throw new IllegalArgumentException("limits must be > 0: max_upload " + maxUploadBytes + ", concurrent "
          + maxConcurrentJobs + ", rate " + ratePerSecond + ", burst " + burst + ", streams " + maxStreams);
    }
  }

  public Limits(long maxUploadBytes, int maxConcurrentJobs, double ratePerSecond, int burst) {
    this(maxUploadBytes, maxConcurrentJobs, ratePerSecond, burst, DEFAULT_MAX_STREAMS);
  }

  public Limits withMaxUploadBytes(long v) {
    return new Limits(v, maxConcurrentJobs, ratePerSecond, burst, maxStreams);
  }

  public Limits withMaxConcurrentJobs(int v) {
    return new Limits(maxUploadBytes, v, ratePerSecond, burst, maxStreams);
  }

  public Limits withRate(double perSecond, int burst) {
    return new Limits(maxUploadBytes, maxConcurrentJobs, perSecond, burst, maxStreams);
  }

  public Limits withMaxStreams(int v) {
    return new Limits(maxUploadBytes, maxConcurrentJobs, ratePerSecond, burst, v);
  }

  /**
   * Applies one {@code name=value} setting as written in an API keys file or on the command line:
   * {@code max_upload=50MiB}, {@code concurrent=4}, {@code rate=5/s} (or {@code rate=5}), {@code burst=20},
   * {@code streams=8}.
   */
  public Limits with(String setting) {
    int eq = setting.indexOf('=');
    if (eq < 1) {
      throw new IllegalArgumentException("expected name=value: '" + setting + "'");
    }
    String k = setting.substring(0, eq).trim();
    String v = setting.substring(eq + 1).trim();
    try {
      return switch (k) {
        case "max_upload" -> withMaxUploadBytes(Units.bytes(v, k));
        case "concurrent" -> withMaxConcurrentJobs(Integer.parseInt(v));
        case "rate" -> withRate(Double.parseDouble(v.endsWith("/s") ? v.substring(0, v.length() - 2) : v), burst);
        case "burst" -> withRate(ratePerSecond, Integer.parseInt(v));
        case "streams" -> withMaxStreams(Integer.parseInt(v));
        default -> throw new IllegalArgumentException("unknown limit '" + k + "' (max_upload, concurrent, rate, burst, streams)");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad value for " + k + ": '" + v + "'", e);
    }
  }
}
