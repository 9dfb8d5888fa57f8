#!/usr/bin/env bash
# The arm64 smoke test behind `./build.sh smoke-arm64`: the linux-arm64 build (out-arm64/sensen-edge) runs
# under qemu user-mode emulation and must agree with the x64 build (out/sensen-edge) on
#   --version, check-config of the example configuration (with stand-in credentials), and
#   detect with face-tiny on one face-api sample photo (same faces, scores within 0.002, boxes within 1 px).
# Skipped, with the reason, where qemu-aarch64-static, the arm64 loader or a mount namespace is missing.
# About 30 s here (most of it ONNX Runtime's session set-up and one inference, emulated).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
X64=$ROOT/out/sensen-edge
ARM=$ROOT/out-arm64/sensen-edge
PHOTO=$ROOT/.cache/npm/face-api/demo/sample1.jpg
QEMU=$(command -v qemu-aarch64-static || true)

skip() { echo "smoke-arm64: SKIPPED: $*"; exit 0; }
[ -n "$QEMU" ] || skip "qemu-aarch64-static not found (Debian package qemu-user-static)"
# The binary is dynamically linked against glibc: Debian's multiarch libc6:arm64 puts the loader here.
[ -e /lib/ld-linux-aarch64.so.1 ] || skip "no aarch64 loader /lib/ld-linux-aarch64.so.1 (dpkg --add-architecture arm64; apt-get install libc6:arm64 libstdc++6:arm64 libssl3:arm64)"
[ -x "$ARM" ] || { echo "smoke-arm64: $ARM missing (run ./build.sh publish-arm64)" >&2; exit 1; }
[ -x "$X64" ] || { echo "smoke-arm64: $X64 missing (run ./build.sh)" >&2; exit 1; }

# qemu 7.2 (Debian 12) passes the host's x86 /proc/cpuinfo through; ONNX Runtime's cpuinfo parser on
# aarch64 then finds no ARM cores and crashes creating a session. A private mount namespace shows it
# an Arm /proc/cpuinfo instead (Cortex-A78AE cores, as on a Jetson Orin), without touching the host's.
if ! unshare --mount true 2>/dev/null; then
  skip "cannot make a mount namespace (unshare --mount needs root) to give the emulated ONNX Runtime an Arm /proc/cpuinfo"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for i in 0 1; do
  printf 'processor\t: %d\nBogoMIPS\t: 62.50\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd42\nCPU revision\t: 1\n\n' "$i"
done > "$WORK/cpuinfo"

# emulated CMD...: the arm64 binary under qemu, stdout and the exit status kept (a non-zero exit is data here).
emulated() {
  unshare --mount sh -c 'mount --bind "$0" /proc/cpuinfo && exec "$@"' "$WORK/cpuinfo" "$QEMU" "$ARM" "$@"
}

fail() { echo "smoke-arm64: FAILED: $*" >&2; exit 1; }
start=$(date +%s)

x=$("$X64" --version); a=$(emulated --version)
[ "$x" = "$a" ] || fail "--version: x64 '$x', arm64 '$a'"
echo "smoke-arm64: --version $a"

mkdir -p "$WORK/credentials"
for name in cam-north device-key vault-db-key vault-storage-key mqtt-client-key; do
  echo x > "$WORK/credentials/$name"; chmod 400 "$WORK/credentials/$name"
done
x=$("$X64" check-config config/sensen-edge.yaml --credentials-directory "$WORK/credentials" 2>&1) && xrc=0 || xrc=$?
a=$(emulated check-config config/sensen-edge.yaml --credentials-directory "$WORK/credentials" 2>&1) && arc=0 || arc=$?
[ "$xrc" = 0 ] || fail "check-config on x64 exited $xrc: $x"
[ "$arc" = "$xrc" ] && [ "$a" = "$x" ] || fail "check-config: x64 exit $xrc '$x', arm64 exit $arc '$a'"
echo "smoke-arm64: check-config $a"

"$X64" detect --model face-tiny --models-dir models --image "$PHOTO" --json --cpu > "$WORK/x64.json"
emulated detect --model face-tiny --models-dir models --image "$PHOTO" --json --cpu > "$WORK/arm64.json"
python3 - "$WORK/x64.json" "$WORK/arm64.json" <<'EOF' || fail "detect: the arm64 build's faces differ from the x64 build's"
import json, sys
x, a = (json.load(open(p)) for p in sys.argv[1:3])
ok = len(x["detections"]) == len(a["detections"]) > 0 and (x["width"], x["height"]) == (a["width"], a["height"])
for dx, da in zip(x["detections"], a["detections"]):
    ok &= dx["class"] == da["class"] and abs(dx["score"] - da["score"]) <= 0.002
    ok &= all(abs(p - q) <= 1.0 for p, q in zip(dx["box"], da["box"]))
print("smoke-arm64: detect face-tiny x64 ", json.dumps(x["detections"]))
print("smoke-arm64: detect face-tiny arm64", json.dumps(a["detections"]))
sys.exit(0 if ok else 1)
EOF
echo "smoke-arm64: passed in $(( $(date +%s) - start )) s (--version, check-config, detect face-tiny agree with x64)"
