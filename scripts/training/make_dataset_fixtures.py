"""Writes the data-set fixtures of the FoveaModels and CLI tests with Python's own gzip and
zlib, so that Fovea's inflate is checked against an independent encoder:

Tests/FoveaModelsTests/Fixtures/datasets/
  text.txt                 the plain bytes every .gz below decompresses to
  text-stored.gz           level 0 (stored blocks)
  text-fixed.gz            fixed Huffman codes only (Z_FIXED)
  text-dynamic.gz          level 9 (dynamic Huffman codes)
  text-flags.gz            header with FEXTRA, FNAME, FCOMMENT and FHCRC
  text-members.gz          two members, concatenated
  digits-images.idx3(.gz)  the first 30 digits (8x8 unsigned bytes, pixel*255//16)
  digits-labels.idx1(.gz)  their labels
Tests/FoveaCLITests/Fixtures/ gets the same IDX files.
"""
import gzip
import pathlib
import shutil
import struct
import zlib

root = pathlib.Path(__file__).resolve().parents[2]
out = root / "Tests/FoveaModelsTests/Fixtures/datasets"
out.mkdir(parents=True, exist_ok=True)

words = [b"kernel", b"stride", b"padding", b"dilation", b"receptive", b"field", b"gradient", b"pool"]
state = 12345
chunks = []
for i in range(3000):
    state = (state * 1103515245 + 12345) % 2**31
    chunks.append(words[state % len(words)])
    if state % 7 == 0:
        chunks.append(bytes([state % 256]))  # some binary noise
text = b" ".join(chunks)
(out / "text.txt").write_bytes(text)


def gzip_with(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31, 9, strategy)
    return compressor.compress(data) + compressor.flush()


(out / "text-stored.gz").write_bytes(gzip_with(text, level=0))
(out / "text-fixed.gz").write_bytes(gzip_with(text, strategy=zlib.Z_FIXED))
(out / "text-dynamic.gz").write_bytes(gzip_with(text, level=9))

raw = zlib.compressobj(6, zlib.DEFLATED, -15)
deflated = raw.compress(text) + raw.flush()
header = bytearray(b"\x1f\x8b\x08" + bytes([0x04 | 0x08 | 0x10 | 0x02]) + b"\x00\x00\x00\x00\x00\x03")
header += struct.pack("<H", 5) + b"extra" + b"text.txt\x00" + b"a comment\x00"
header += struct.pack("<H", zlib.crc32(bytes(header)) & 0xFFFF)
trailer = struct.pack("<II", zlib.crc32(text) & 0xFFFFFFFF, len(text) & 0xFFFFFFFF)
(out / "text-flags.gz").write_bytes(bytes(header) + deflated + trailer)

half = len(text) // 2
(out / "text-members.gz").write_bytes(gzip.compress(text[:half], mtime=0) + gzip.compress(text[half:], mtime=0))

rows = [list(map(int, line.split(b","))) for line in gzip.open(root.parents[0] / "shared/datasets/digits.csv.gz").read().splitlines()[:30]]
images = struct.pack(">IIII", 0x0803, len(rows), 8, 8) + bytes(v * 255 // 16 for r in rows for v in r[:64])
labels = struct.pack(">II", 0x0801, len(rows)) + bytes(r[64] for r in rows)
cli = root / "Tests/FoveaCLITests/Fixtures"
cli.mkdir(parents=True, exist_ok=True)
for directory in (out, cli):
    (directory / "digits-images.idx3").write_bytes(images)
    (directory / "digits-labels.idx1").write_bytes(labels)
    (directory / "digits-images.idx3.gz").write_bytes(gzip.compress(images, mtime=0))
    (directory / "digits-labels.idx1.gz").write_bytes(gzip.compress(labels, mtime=0))
