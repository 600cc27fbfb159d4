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

  /**
   * The subject a job of {@code client} is published on: {@code <operation subject>.<client>}, e.g.
   * {@code pdf.docling.convert.billing}. setup.sh lets a client publish only {@code <prefix>.*.<user>}, and workers
   * take the client (where the result goes) from this subject, never from the envelope alone.
   */
  public static String job(String operationSubject, String client) {
    return operationSubject + "." + client;
  }

  /** The client token of a job message subject ({@link #job}): its last token. */
  public static String clientOfJob(String messageSubject) {
    return lastToken(messageSubject);
  }

  /** The operation subject of a job message subject ({@link #job}): all but its last token. */
  public static String operationOfJob(String messageSubject) {
    int dot = messageSubject.lastIndexOf('.');
    return dot < 0 ? messageSubject : messageSubject.substring(0, dot);
  }

  /**
   * {@code Nats-Msg-Id} of a job: {@code <client>.<job id>}, so that equal ids of two clients do not collide in a
   * service stream's de-duplication window.
   */
  public static String jobMessageId(String client, String jobId) {
    return client + "." + jobId;
  }

  /**
   * {@code Nats-Msg-Id} of a result: {@code r.<client>.<job id>} ({@code r.<client>.<job id>.replay<n>} after the
   * n-th replay). The client is part of it, so another client's job with the same id cannot pre-empt this result as
   * a duplicate.
   */
  public static String resultMessageId(String client, String jobId, int replay) {
    return "r." + client + "." + jobId + (replay > 0 ? ".replay" + replay : "");
  }

  /**
   * Key of a job's status record ({@link #STATUS_BUCKET}) and cancel request ({@link #CANCEL_BUCKET}):
   * {@code <client>.<job id>}. setup.sh lets a client write and read only keys under its own {@code <user>.}.
   */
  public static String jobKey(String client, String jobId) {
    return client + "." + jobId;
  }

  /** The client of a {@link #jobKey}, or null when the key has no client part. */
  public static String clientOfKey(String key) {
    int dot = key.indexOf('.');
    return dot < 0 ? null : key.substring(0, dot);
  }

  /** The job id of a {@link #jobKey}. */
  public static String jobIdOfKey(String key) {
    return key.substring(key.indexOf('.') + 1);
  }

  /** The subject of a key-value bucket's key: {@code $KV.<bucket>.<key>}. */
  public static String kvSubject(String bucket, String key) {
    return "$KV." + bucket + "." + key;
  }

  /** The stream behind a key-value bucket: {@code KV_<bucket>}. */
  public static String kvStream(String bucket) {
    return "KV_" + bucket;
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
