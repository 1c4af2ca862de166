#!/usr/bin/env bash
# Verifies the gpu-cuda backend on a machine with an NVIDIA GPU: builds, runs the module's
# tests (the conformance suite against gpu-cuda, the GPU cross-checks, and the GPU-free
# tests), then a short benchmark, and prints a summary table.
#
# Needs: an NVIDIA driver supporting CUDA 12 (libcuda.so.1), the CUDA 12 libraries
# libcublas.so.12 and libnvrtc.so.12 on the loader path (e.g. LD_LIBRARY_PATH), JDK 17+.
# Usage: gpu-cuda/verify-on-gpu.sh   (from anywhere; extra arguments go to Maven)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== GPU"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total,memory.free --format=csv
else
  echo "nvidia-smi not found: no NVIDIA driver on this machine; the GPU tests will be skipped" >&2
fi

echo "== build and test (gpu-cuda and what it depends on)"
status=0
./mvnw -B -pl gpu-cuda -am test -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?

echo "== test summary (gpu-cuda)"
printf '%-48s %6s %6s %6s %6s\n' "suite" "tests" "fail" "error" "skip"
for report in gpu-cuda/target/surefire-reports/TEST-*.xml gpu-cuda/target/surefire-reports-jdk25/TEST-*.xml; do
  [ -f "$report" ] || continue
  line=$(grep -m1 '<testsuite' "$report")
  name=$(sed -n 's/.*name="\([^"]*\)".*/\1/p' <<<"$line" | sed 's/.*\.//')
  tests=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$line")
  fail=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$line")
  err=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$line")
  skip=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$line")
  jdk=""; case "$report" in *jdk25*) jdk=" (JDK 25)";; esac
  printf '%-48s %6s %6s %6s %6s\n' "$name$jdk" "$tests" "$fail" "$err" "$skip"
done
if [ "$status" -ne 0 ]; then
  echo "tests FAILED (exit $status); see gpu-cuda/target/surefire-reports" >&2
  exit "$status"
fi

echo "== short GPU benchmark"
cp_file=$(mktemp)
# -am compiles in the reactor, so core resolves to core/target/classes; the last module (gpu-cuda) writes the file.
./mvnw -B -q -pl gpu-cuda -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
java -cp "gpu-cuda/target/test-classes:gpu-cuda/target/classes:core/target/classes:$(cat "$cp_file")" \
  org.mfkit.cuda.CudaSmokeBenchmark
rm -f "$cp_file"
