#!/bin/sh
# The entry point of every jetmesh image (deploy/docker/Dockerfile): the image's self-contained jar on the JRE, with
# JAVA_OPTS, arguments passed through. exec: SIGTERM reaches the JVM, so a worker drains for JETMESH_DRAIN_TIMEOUT.
# JETMESH_APP_JAR names another jar (ManifestsTest runs this script on the jars of the test build).
export OMP_THREAD_LIMIT="${OMP_THREAD_LIMIT:-1}"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
exec java $JAVA_OPTS -jar "${JETMESH_APP_JAR:-/opt/jetmesh/lib/app.jar}" "$@"
