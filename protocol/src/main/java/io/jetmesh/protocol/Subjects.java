package io.jetmesh.protocol;

import java.util.regex.Pattern;

/**
 * Every subject, stream and bucket name the mesh uses. Job subjects come from {@code namespaces.yaml}
 * ({@code <subject-prefix>.<operation>}); the rest are fixed by the protocol so that clients in any language can find
 * them.
 */
public final class Subjects {
  /** Stream holding results by {@code jetmesh.results.<client>.<id>}. */
  public static final String RESULTS_STREAM = "JETMESH_RESULTS";
  public static final String RESULTS_PREFIX = "jetmesh.results";
  /** Stream holding dead letters by {@code jetmesh.dlq.<namespace>.<id>}. */
  public static final String DLQ_STREAM = "JETMESH_DLQ";
  public static final String DLQ_PREFIX = "jetmesh.dlq";
  /** Core (not stored) subjects. */
  public static final String PROGRESS_PREFIX = "jetmesh.progress";
  /** Key-value bucket of {@link CancelRequest} by job id; every worker watches it. */
  public static final String CANCEL_BUCKET = "jetmesh-cancel";
  /** Key-value bucket of {@link JobStatus} by job id. */
  public static final String STATUS_BUCKET = "jetmesh-status";
  /** Object-store bucket for uploaded inputs and large outputs. */
  public static final String BLOB_BUCKET = "jetmesh-blobs";
  /** NATS Services API name prefix of workers: {@code jetmesh-<namespace>}. */
  public static final String SERVICE_PREFIX = "jetmesh-";

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern JOB_SUBJECT = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");

  private Subjects() {}

  public static String result(String client, String jobId) {
    return RESULTS_PREFIX + "." + client + "." + jobId;
  }

  /** All results of one client, for its live subscription. */
  public static String resultsOf(String client) {
    return RESULTS_PREFIX + "." + client + ".*";
  }

  public static String progress(String client, String jobId) {
    return PROGRESS_PREFIX + "." + client + "." + jobId;
  }

  public static String progressOf(String client) {
    return PROGRESS_PREFIX + "." + client + ".*";
  }

  public static String deadLetter(String namespace, String jobId) {
    return DLQ_PREFIX + "." + namespace + "." + jobId;
  }

  /** The last token of a subject: the job id on result, progress, cancel and dead-letter subjects. */
  public static String lastToken(String subject) {
    int dot = subject.lastIndexOf('.');
    return dot < 0 ? subject : subject.substring(dot + 1);
  }

  public static boolean isToken(String value) {
    return value != null && TOKEN.matcher(value).matches();
  }

  static String requireToken(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " == null");
    }
    if (!TOKEN.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must match [A-Za-z0-9_-]{1,128}: '" + value + "'");
    }
    return value;
  }

  /** Validates a concrete job subject such as {@code pdf.docling.convert} (no wildcards, at least two tokens). */
  public static String requireJobSubject(String subject) {
    if (subject == null) {
      throw new IllegalArgumentException("subject == null");
    }
    if (!JOB_SUBJECT.matcher(subject).matches()) {
      throw new IllegalArgumentException("not a job subject (expected prefix.operation, no wildcards): '" + subject + "'");
    }
    return subject;
  }
}
