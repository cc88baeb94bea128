#!/usr/bin/env bash
# Measures the query function's cold start as Lambda's managed Java runtime would run it: builds
# function.zip for this machine's architecture, fetches AWS's runtime interface client, and runs
# dev.tracelake.functions.query.ColdStart (a local Lambda Runtime API) against the unzipped package.
#
#   functions/query/cold-start.sh [memory MB, default 2048] [extra JVM options...]
#
# The JVM options default to those of Lambda's Java runtimes (serial GC, C1 only, CDS). Prefix with
# `taskset -c 0` to give the function one core, as Lambda does below 1,769 MB.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
module="$root/functions/query"
memory="${1:-2048}"
shift || true
case "$(uname -m)" in
  aarch64 | arm64) arch=arm64 ;;
  *) arch=x86_64 ;;
esac
ric_version=2.9.0

"$root/mvnw" -q -B -ntp -f "$root/pom.xml" package -DskipTests -pl functions/query -am \
  -Dlambda.architecture="$arch" \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
for artifact in \
  com.amazonaws:aws-lambda-java-runtime-interface-client:$ric_version \
  com.amazonaws:aws-lambda-java-core:1.4.0 \
  com.amazonaws:aws-lambda-java-serialization:1.2.0 \
  software.amazon.awssdk:utils-lite:2.34.0; do
  "$root/mvnw" -q -B -ntp -N -f "$root/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="$artifact" -DoutputDirectory="$module/target/lambda-runtime"
done

cd "$module"
exec java -cp "target/test-classes:$(cat target/test-classpath.txt)" \
  dev.tracelake.functions.query.ColdStart target/function.zip target/lambda-runtime "$memory" \
  -XX:MaxRAM="${memory}m" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
  -Djava.net.preferIPv4Stack=true "$@"
