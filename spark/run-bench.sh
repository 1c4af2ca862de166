#!/usr/bin/env bash
# The Spark bench family (MfAls against Spark MLlib's ALS, local[2]); see
# spark/src/test/java/org/mfkit/spark/bench/SparkAlsBench.java for what it measures.
# Usage: spark/run-bench.sh [options]   (JAVA=/path/to/java picks another JVM)
set -euo pipefail
cd "$(dirname "$0")/.."
classpath="$PWD/spark/target/bench.classpath"
./mvnw -B -q -P '!second-jdk' -pl spark -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$classpath" -Dmdep.includeScope=test
# The Vector API module, and Spark's own JVM options (what spark-submit adds).
opens=$(sed -n 's:.*<spark.test.jvmOptions>\(.*\)</spark.test.jvmOptions>.*:\1:p' spark/pom.xml)
# shellcheck disable=SC2086
exec "${JAVA:-java}" -Xmx8g -Xss4m --add-modules=jdk.incubator.vector $opens \
    -cp "spark/target/test-classes:spark/target/classes:$(cat "$classpath")" org.mfkit.spark.bench.SparkAlsBench "$@"
