package io.jetmesh.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * What a submission request carries once its body is read: the input reference (an uploaded file already stored in
 * the object store, or the caller's {@code s3://} / {@code nats-object://} reference), options and time limit.
 *
 * @param uploaded the file came with the request and the gateway stored it (else {@code uri} is the caller's reference)
 */
record JobInput(String uri, boolean uploaded, String name, String contentType, long size, ObjectNode options,
                Duration timeout, Duration syncWait) {}
