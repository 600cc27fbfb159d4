package io.jetmesh.protocol;


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
  /**
   * Key-value bucket of the HTTP gateways: which gateway caller (API key name or token subject) submitted which job
   * and uploaded which blob. Written and read by gateways only; not part of the client protocol.
   */
  public static final String GATEWAY_JOBS_BUCKET = "jetmesh-gateway-jobs";
  /** NATS Services API name prefix of workers: {@code jetmesh-<namespace>}. */
  public static final String SERVICE_PREFIX = "jetmesh-";


  /** Inbox (request reply) prefix of every jetmesh connection that has a user name: {@code _INBOX.<user>}. */
  public static final String INBOX_PREFIX = "_INBOX";

  private Subjects() {}

  /**
   * The inbox prefix of a connection as {@code user}: {@code _INBOX.<user>}. setup.sh lets each user subscribe only
   * to {@code _INBOX.<user>.>}, so no client can listen to another's replies (JetStream API answers, object-store
   * reads, fetched results). A user name that is not a subject token keeps the library's default.
   */
  public static String inboxPrefix(String user) {
    return user != null && isToken(user) ? INBOX_PREFIX + "." + user : INBOX_PREFIX;
  }

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

  /** {@code [A-Za-z0-9_-]{1,128}}; checked by hand because every message validates a few of these. */
  public static boolean isToken(String value) {
    if (value == null || value.isEmpty() || value.length() > 128) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (!tokenChar(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean tokenChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }

  /** Two or more non-empty tokens separated by dots, no wildcards. */
  static boolean isJobSubject(String subject) {
    int tokens = 0;
    int len = 0;
    for (int i = 0; i < subject.length(); i++) {
      char c = subject.charAt(i);
      if (c == '.') {
        if (len == 0) {
          return false;
        }
        tokens++;
        len = 0;
      } else if (tokenChar(c)) {
        len++;
      } else {
        return false;
      }
    }
    return len > 0 && tokens >= 1;
  }

  static String requireToken(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " == null");
    }
    if (!isToken(value)) {
      throw new IllegalArgumentException(field + " must match [A-Za-z0-9_-]{1,128}: '" + value + "'");
    }
    return value;
  }

  /** Validates a concrete job subject such as {@code pdf.docling.convert} (no wildcards, at least two tokens). */
  public static String requireJobSubject(String subject) {
    if (subject == null) {
      throw new IllegalArgumentException("subject == null");
    }
    if (!isJobSubject(subject)) {
      throw new IllegalArgumentException("not a job subject (expected prefix.operation, no wildcards): '" + subject + "'");
    }
    return subject;
  }
}
