#!/usr/bin/env bash
# Builds the libFuzzer harnesses with AddressSanitizer and runs one of them.
#   Fuzz/run.sh onnx [SECONDS] [extra libFuzzer flags…]     (default 600 s)
#   Fuzz/run.sh npy  [SECONDS] [extra libFuzzer flags…]
#   Fuzz/run.sh spec [SECONDS] [extra libFuzzer flags…]
# The corpus grows in Fuzz/.corpus/NAME (not committed), seeded with the test fixtures (the ONNX
# exports and generated graphs; the .npy gradient fixtures and examples; the example specs, with a
# dictionary of the spec format's keys and operations); crashes are written to
# Fuzz/.artifacts/. Reproduce one with: Fuzz/run.sh onnx 0 Fuzz/.artifacts/crash-…
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="${1:-onnx}"
seconds="${2:-600}"
shift $(( $# > 2 ? 2 : $# ))
# Inputs to replay are named relative to the caller's directory; the script runs in Fuzz/.
replay=()
for argument in "$@"; do
  if [ -e "$argument" ]; then argument="$(cd "$(dirname "$argument")" && pwd)/$(basename "$argument")"; fi
  replay+=("$argument")
done
set -- ${replay[@]+"${replay[@]}"}
case "$name" in
  onnx) product=FuzzONNX; seeds=(../Tests/FoveaModelsTests/Fixtures/onnx ../Tests/FoveaModelsTests/Fixtures/onnx/extra) ;;
  npy) product=FuzzNpy; seeds=(../Tests/FoveaNNTests/Fixtures/grad ../Examples) ;;
  spec) product=FuzzSpec; seeds=(../Examples); set -- -dict=spec.dict "$@" ;;
  *) echo "usage: $0 onnx|npy|spec [SECONDS] [libFuzzer flags…]" >&2; exit 2 ;;
esac
cd "$here"
swift build -c debug --product "$product" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >&2
binary="$(swift build -c debug --product "$product" --show-bin-path)/$product"
mkdir -p ".corpus/$name" .artifacts
if [ "$seconds" = 0 ] && [ $# -gt 0 ]; then
  exec "$binary" "$@"
fi
exec "$binary" ".corpus/$name" "${seeds[@]}" -max_total_time="$seconds" -max_len=1048576 \
  -rss_limit_mb=4096 -timeout=10 -artifact_prefix=.artifacts/ -print_final_stats=1 "$@"
