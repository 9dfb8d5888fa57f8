#!/usr/bin/env bash
# Pre-roll memory against its budget (docs/BENCHMARKS.md, "Recording: pre-roll memory"): the daemon replays a
# 1280x720 10 fps clip for SECONDS, once with recording.pre_roll_seconds 0 and once with PRE_ROLL, and samples
# its RSS (VmRSS, /proc/PID/status) every second. The difference of the medians over the second half of each run
# is what the ring costs; the budget is FrameBudget's: ceil(PRE_ROLL x fps) frames of width x height x 3 bytes.
# Usage: scripts/bench-preroll-rss.sh [SECONDS=60] [PRE_ROLL=5] [BASE_SECONDS=SECONDS]
# BASE_SECONDS shortens the pre_roll 0 run (its RSS is flat after a minute), so a one-hour replay of the ring
# (SECONDS=3600) need not cost two hours. Prints the ring run's RSS per minute as well.
set -euo pipefail
seconds=${1:-60}
preroll=${2:-5}
base_seconds=${3:-$seconds}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/out/sensen-edge"
work=$(mktemp -d /tmp/sensen-bench-preroll-XXXXXX)
trap 'rm -rf "$work"' EXIT

ffmpeg -hide_banner -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=10" -t 20 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$work/clip.mp4"
"$bin" keys city --out "$work/city" >/dev/null
"$bin" keys device --out "$work/device" --device-id bench >/dev/null

run() {
    local pre=$1 secs=$2 dir="$work/run-$1"
    mkdir -p "$dir/state" "$dir/cred"
    cp "$work/device/device-key.pem" "$dir/cred/device-key"
    head -c 32 /dev/urandom | base64 > "$dir/cred/vault-db-key"
    head -c 32 /dev/urandom | base64 > "$dir/cred/vault-storage-key"
    chmod 600 "$dir"/cred/*
    cat > "$dir/edge.yaml" <<YAML
device: {id: bench, state_directory: $dir/state, credentials_directory: $dir/cred, time_zone: UTC}
cameras:
  - id: replay
    url: file://$work/clip.mp4
    loop: true
    analysis: {fps: 10, width: 1280, height: 720}
inference: {providers: [cpu], models_directory: $root/models}
detectors:
  - {id: faces, model: face-tiny}
recording: {pre_roll_seconds: $pre}
vault: {city_public_key: $work/city/city-public.pem, city_ack_public_key: $work/city/city-ack-public.pem}
uplink: {enabled: false}
YAML
    "$bin" run --config "$dir/edge.yaml" --stop-after "$secs" > "$dir/stdout" 2> "$dir/stderr" &
    local pid=$! samples=()
    while kill -0 "$pid" 2>/dev/null; do
        if rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$rss" ]; then samples+=("$rss"); fi
        sleep 1
    done
    wait "$pid" || { echo "run with pre_roll $pre failed:"; tail -5 "$dir/stderr"; exit 1; }
    local n=${#samples[@]} half=$(( ${#samples[@]} / 2 ))
    if [ "$secs" -ge 600 ]; then
        # One line a minute: minute, median and max RSS in MiB (a ring that leaks shows here as a slope).
        local i chunk
        for (( i = 0; i * 60 < n; i++ )); do
            chunk=$(printf '%s\n' "${samples[@]:$(( i * 60 )):60}" | sort -n)
            awk -v i="$i" '{a[NR]=$1} END {printf "minute %d: median %.1f MiB, max %.1f MiB\n", i, a[int((NR+1)/2)]/1024, a[NR]/1024}' <<< "$chunk" >&2
        done
    fi
    printf '%s\n' "${samples[@]:$half}" | sort -n > "$dir/rss"
    local median max
    median=$(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' "$dir/rss")
    max=$(tail -1 "$dir/rss")
    echo "$pre $median $max $n"
    grep -E '^(record|pipeline|end) ' "$dir/stdout" >&2 || true
}

read -r _ base_median base_max base_n < <(run 0 "$base_seconds")
read -r _ ring_median ring_max ring_n < <(run "$preroll" "$seconds")
frames=$(awk -v p="$preroll" 'BEGIN {f=p*10; print (f==int(f)) ? f : int(f)+1}')
budget_kib=$(( frames * 1280 * 720 * 3 / 1024 ))
delta=$(( ring_median - base_median ))
awk -v d="$delta" -v b="$budget_kib" -v s="$seconds" -v p="$preroll" -v bm="$base_median" -v rm="$ring_median" -v rx="$ring_max" -v f="$frames" 'BEGIN {
    printf "replay %d s, 1280x720 @ 10 fps, pre_roll %s s (%d ring frames)\n", s, p, f
    printf "RSS median, second half: pre_roll 0: %.1f MiB; pre_roll %s: %.1f MiB (max %.1f MiB)\n", bm/1024, p, rm/1024, rx/1024
    printf "ring cost %.1f MiB against its budget %.1f MiB: ratio %.2f\n", d/1024, b/1024, d/b
}'
