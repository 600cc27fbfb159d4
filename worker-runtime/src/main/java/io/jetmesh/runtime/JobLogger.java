package io.jetmesh.runtime;

import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.helpers.LegacyAbstractLogger;

/** A logger that prefixes every line with the worker id and job id, so a job's lines can be grepped together. */
final class JobLogger extends LegacyAbstractLogger {
  private final transient Logger delegate;
  private final String prefix;

  JobLogger(Logger delegate, String prefix) {
    this.delegate = delegate;
    this.prefix = prefix;
    this.name = delegate.getName();
  }

  @Override public boolean isTraceEnabled() { return delegate.isTraceEnabled(); }
  @Override public boolean isDebugEnabled() { return delegate.isDebugEnabled(); }
  @Override public boolean isInfoEnabled() { return delegate.isInfoEnabled(); }
  @Override public boolean isWarnEnabled() { return delegate.isWarnEnabled(); }
  @Override public boolean isErrorEnabled() { return delegate.isErrorEnabled(); }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(org.slf4j.event.Level level, Marker marker, String pattern, Object[] args, Throwable t) {
    String msg = org.slf4j.helpers.MessageFormatter.basicArrayFormat(prefix + pattern, args);
    switch (level) {
      case TRACE -> delegate.trace(msg, t);
      case DEBUG -> delegate.debug(msg, t);
      case INFO -> delegate.info(msg, t);
      case WARN -> delegate.warn(msg, t);
      default -> delegate.error(msg, t);
    }
  }
}
