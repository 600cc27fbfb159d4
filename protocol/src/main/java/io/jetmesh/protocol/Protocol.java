package io.jetmesh.protocol;

/** Protocol-wide constants: version and header names. See docs/PROTOCOL.md. */
public final class Protocol {
  /** The version every message body carries in its {@code v} field. */
  public static final int VERSION = 1;

  /** JetStream de-duplication id; equals the job id on job messages and results. */
  public static final String HEADER_MSG_ID = "Nats-Msg-Id";
  /** Protocol version of the body, duplicated as a header so routers need not parse JSON. */
  public static final String HEADER_VERSION = "Jetmesh-Version";
  /** The job id (the pipeline root id on results and progress). */
  public static final String HEADER_JOB_ID = "Jetmesh-Job-Id";
  /** Terminal status on result messages ({@code completed}, {@code failed}, ...). */
  public static final String HEADER_STATUS = "Jetmesh-Status";
  /** Error code on failed results. */
  public static final String HEADER_ERROR_CODE = "Jetmesh-Error-Code";
  /** Content type of a message body; always {@code application/json} in version 1. */
  public static final String HEADER_CONTENT_TYPE = "Content-Type";
  public static final String CONTENT_TYPE_JSON = "application/json";

  private Protocol() {}
}
