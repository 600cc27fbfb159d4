package io.jetmesh.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One service type of the mesh: a JetStream stream on {@code <subjectPrefix>.>}, one durable pull consumer shared
 * by all workers of the group, and the operations its handlers implement.
 *
 * @param name short name used on the command line and in dead-letter subjects ({@code pdf})
 * @param stream stream name ({@code PDF_PROCESSING})
 * @param subjectPrefix job subjects are {@code <subjectPrefix>.<operation>} ({@code pdf.docling})
 * @param workerGroup durable consumer name shared by the group's workers ({@code pdf_docling_workers})
 * @param operations the operations this service offers
 * @param inputFormats per operation, the input types it takes ({@code input_formats} in namespaces.yaml: format ids
 *     such as {@code pdf}, {@code docx}, {@code png}); an operation without an entry declares none (any input)
 * @param optionLimits the largest value a job may give each numeric option ({@code option_limits})
 * @param s3Buckets the {@code s3://} buckets a job may name as input ({@code s3_buckets}); {@code null} = any bucket
 *     the worker's S3 credentials reach
 */
public record NamespaceSpec(
    String name,
    String description,
    String stream,
    String subjectPrefix,
    String workerGroup,
    List<String> operations,
    ServiceLimits limits,
    java.util.Map<String, List<String>> inputFormats,
    OptionLimits optionLimits,
    List<String> s3Buckets) {

  public NamespaceSpec {
    s3Buckets = s3Buckets == null ? null : List.copyOf(s3Buckets);
    optionLimits = optionLimits == null ? OptionLimits.NONE : optionLimits;
    Subjects.requireToken(name, "name");
    Objects.requireNonNull(stream, "stream == null");
    Subjects.requireJobSubject(subjectPrefix + ".x");
    Subjects.requireToken(workerGroup, "worker_group");
    operations = List.copyOf(operations);
    for (String op : operations) {
      Subjects.requireToken(op, name + ".operations[]");
    }
    Objects.requireNonNull(limits, "limits == null");
    java.util.Map<String, List<String>> formats = new java.util.LinkedHashMap<>();
    if (inputFormats != null) {
      for (java.util.Map.Entry<String, List<String>> e : inputFormats.entrySet()) {
        if (!operations.contains(e.getKey())) {
          throw new IllegalArgumentException(name + ".input_formats names '" + e.getKey()
              + "', which is not one of its operations " + operations);
        }
        formats.put(e.getKey(), List.copyOf(e.getValue()));
      }
    }
    inputFormats = java.util.Collections.unmodifiableMap(formats);
  }

  /** A service whose jobs may name any S3 bucket. */
  public NamespaceSpec(String name, String description, String stream, String subjectPrefix, String workerGroup,
                       List<String> operations, ServiceLimits limits, java.util.Map<String, List<String>> inputFormats,
                       OptionLimits optionLimits) {
    this(name, description, stream, subjectPrefix, workerGroup, operations, limits, inputFormats, optionLimits, null);
  }

  /** Whether a job of this service may read {@code s3://bucket/...} (the worker's S3 credentials are a deputy). */
  public boolean allowsS3Bucket(String bucket) {
    return s3Buckets == null || s3Buckets.contains("*") || s3Buckets.contains(bucket);
  }

  /** A service without option limits. */
  public NamespaceSpec(String name, String description, String stream, String subjectPrefix, String workerGroup,
                       List<String> operations, ServiceLimits limits, java.util.Map<String, List<String>> inputFormats) {
    this(name, description, stream, subjectPrefix, workerGroup, operations, limits, inputFormats, OptionLimits.NONE);
  }

  /** A service without input format declarations. */
  public NamespaceSpec(String name, String description, String stream, String subjectPrefix, String workerGroup,
                       List<String> operations, ServiceLimits limits) {
    this(name, description, stream, subjectPrefix, workerGroup, operations, limits, java.util.Map.of(), OptionLimits.NONE);
  }

  /** The input types {@code operation} takes; empty when the service declares none for it. */
  public List<String> inputFormats(String operation) {
    return inputFormats.getOrDefault(operation, List.of());
  }

  /** The stream's subject filter, {@code pdf.docling.>}. */
  public String streamSubjects() {
    return subjectPrefix + ".>";
  }

  public String subjectFor(String operation) {
    return subjectPrefix + "." + operation;
  }

  public boolean owns(String subject) {
    return subject.startsWith(subjectPrefix + ".") && subject.indexOf('.', subjectPrefix.length() + 1) < 0;
  }

  /** The operation of a job subject of this namespace. */
  public String operationOf(String subject) {
    if (!owns(subject)) {
      throw new IllegalArgumentException(subject + " is not a job subject of " + name);
    }
    return subject.substring(subjectPrefix.length() + 1);
  }
}
