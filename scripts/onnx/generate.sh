#!/usr/bin/env bash
# Regenerates Sources/FoveaModels/ONNX/onnx.pb.swift from scripts/onnx/onnx.proto.
# Needs protoc (Debian: apt-get install -y protobuf-compiler) and protoc-gen-swift built from
# apple/swift-protobuf 1.39.0, the version Package.swift depends on:
#   git clone https://github.com/apple/swift-protobuf /tmp/swift-protobuf-src
#   git -C /tmp/swift-protobuf-src checkout 1.39.0
#   swift build -c release --product protoc-gen-swift --package-path /tmp/swift-protobuf-src
# The plugin is found at $PROTOC_GEN_SWIFT, else on PATH, else in that /tmp checkout.
# The package build itself needs neither tool: the generated file is committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || echo /tmp/swift-protobuf-src/.build/release/protoc-gen-swift)}"
[ -x "$plugin" ] || { echo "protoc-gen-swift not found (set PROTOC_GEN_SWIFT)" >&2; exit 1; }
command -v protoc >/dev/null || { echo "protoc not found (apt-get install -y protobuf-compiler)" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$here" \
  --swift_opt=Visibility=Internal --swift_out="$out" "$here/onnx.proto"
mv "$out/onnx.pb.swift" "$root/Sources/FoveaModels/ONNX/onnx.pb.swift"
echo "wrote Sources/FoveaModels/ONNX/onnx.pb.swift"
