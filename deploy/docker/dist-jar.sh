#!/bin/sh
# Prints the path of MODULE's self-contained jar, MODULE/target/dist/<name>.jar, which `mvn -Pdist package` builds
# (see maven-shade-plugin in the parent pom). Fails, naming what it found, unless there is exactly one: the Dockerfile
# copies this jar into the image, and ManifestsTest runs the same script on the jars the test build made.
#   deploy/docker/dist-jar.sh pdf-worker     ->  pdf-worker/target/dist/pdf-worker.jar
set -eu
module=${1:?usage: dist-jar.sh MODULE (run from the repository root)}
dir="$module/target/dist"
if [ ! -d "$dir" ]; then
  echo "dist-jar.sh: $dir does not exist: build it with 'mvn -Pdist -pl $module -am package -DskipTests'" >&2
  exit 1
fi
set -- "$dir"/*.jar
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
  echo "dist-jar.sh: expected exactly one jar in $dir, found: $(ls -A "$dir" | tr '\n' ' ')" >&2
  exit 1
fi
echo "$1"
