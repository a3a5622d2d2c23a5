#!/usr/bin/env bash
# Builds the Leptos browser app (frontend/) into frontend/dist/, installing what
# it needs on a fresh Debian 12 machine: a wasm32 std (rustup target, or Debian's
# rustc-web with build-std as a fallback) and the wasm-bindgen CLI of the version
# pinned in frontend/Cargo.lock. Files get content-hashed names and brotli and
# gzip copies (see crates/api/src/assets.rs). Does nothing (and prints nothing)
# when frontend/dist is newer than every input.
#
# Usage: scripts/build-frontend.sh [--force]
#   --force                      rebuild even when dist/ looks up to date
#   KEHU_WASM_STD=debian (env)   use the Debian fallback even if rustup works
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
DIST="$FRONTEND/dist"
TARGET=wasm32-unknown-unknown
CRATE=kehu_frontend # the lib name of package kehu-frontend
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) PATH="$CARGO_BIN:$PATH" ;; esac

log() { echo "build-frontend: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

force=0
case "${1:-}" in
    "") ;;
    --force) force=1 ;;
    *) die "unknown argument '$1' (usage: $0 [--force])" ;;
esac

# Inputs of the build; dist's mtime is set to the start of the last successful build.
inputs=("$FRONTEND/src" "$FRONTEND/Cargo.toml" "$FRONTEND/Cargo.lock" "$FRONTEND/index.html"
    "$FRONTEND/kehu.css" "$FRONTEND/boot.js" "$ROOT/crates/domain/src"
    "$ROOT/crates/domain/Cargo.toml" "$ROOT/Cargo.toml" "${BASH_SOURCE[0]}")

# Built when index.html and every content-hashed file it names are there.
up_to_date() {
    local f
    [[ -f $DIST/index.html ]] || return 1
    for f in $(grep -o '/[A-Za-z0-9_]*-[0-9a-f]\{16\}\.[a-z]*' "$DIST/index.html"); do
        [[ -f $DIST$f ]] || return 1
    done
    [[ -z "$(find "${inputs[@]}" -newer "$DIST" -print -quit 2>/dev/null)" ]]
}

if ((!force)) && up_to_date; then
    exit 0
fi

# One build at a time (e.g. `make -j` running two targets that both need dist/).
mkdir -p "$FRONTEND/target"
exec 9>"$FRONTEND/target/.build-frontend.lock"
flock 9
if ((!force)) && up_to_date; then
    exit 0 # built by whoever held the lock
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then
        SUDO=(sudo)
    fi
fi
apt_updated=0
apt_install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    [[ $(id -u) -eq 0 || ${#SUDO[@]} -gt 0 ]] || die "need root or sudo to install: ${missing[*]}"
    log "installing Debian packages: ${missing[*]}"
    if ((!apt_updated)); then
        "${SUDO[@]}" apt-get update -qq
        apt_updated=1
    fi
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

cd "$FRONTEND"

# --- 1. a std for wasm32 ----------------------------------------------------
has_wasm_std() {
    local libdir
    libdir="$(rustc --print target-libdir --target "$TARGET" 2>/dev/null)" || return 1
    compgen -G "$libdir/libcore-*.rlib" >/dev/null
}

wasm_env=()
use_debian=0
if [[ ${KEHU_WASM_STD:-} == debian ]]; then
    use_debian=1
elif ! has_wasm_std; then
    if command -v rustup >/dev/null; then
        log "adding the rustup target $TARGET"
        timeout 600 rustup target add "$TARGET" >&2 || log "rustup could not add $TARGET"
    fi
fi
if ((!use_debian)) && has_wasm_std; then
    wasm_path="the installed $TARGET std ($(rustc --version))"
else
    # Debian fallback: rustc-web (newer than Debian's rustc) with the std source,
    # compiled for wasm32 by cargo's build-std; lld-22 provides rust-lld.
    log "no $TARGET std from rustup (or KEHU_WASM_STD=debian): using Debian's rustc-web with build-std"
    apt_install rustc-web cargo-web rust-web-src lld-22
    wasm_env=(RUSTUP_TOOLCHAIN=/usr RUSTC_BOOTSTRAP=1 "CARGO_UNSTABLE_BUILD_STD=std,panic_abort")
    if ! command -v rustup >/dev/null; then
        wasm_env=(PATH="/usr/bin:$PATH" "${wasm_env[@]:1}")
    fi
    wasm_path="Debian build-std ($(env "${wasm_env[@]}" rustc --version))"
fi

# --- 2. wasm-bindgen CLI matching the lockfile --------------------------------
wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[[ -n $wb_version ]] || die "no wasm-bindgen in frontend/Cargo.lock"
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb_version" ]]; then
    log "installing wasm-bindgen-cli $wb_version (once per machine, takes a few minutes)"
    if ! cargo install --quiet --force wasm-bindgen-cli --version "=$wb_version" --locked; then
        log "retrying without --locked"
        cargo install --quiet --force wasm-bindgen-cli --version "=$wb_version"
    fi
    [[ "$(wasm-bindgen --version)" == "wasm-bindgen $wb_version" ]] ||
        die "wasm-bindgen on PATH ($(command -v wasm-bindgen)) is not $wb_version"
fi

# --- 3. build ------------------------------------------------------------------
log "building with $wasm_path"
start_ref="$FRONTEND/target/.build-start"
touch "$start_ref"
started=$SECONDS
if ! env "${wasm_env[@]}" cargo build --release --locked --target "$TARGET"; then
    die "cargo build failed. If cargo said the lock file needs to be updated (e.g. the domain
crate's dependencies changed), run \`cargo update --workspace\` in frontend/ and commit frontend/Cargo.lock."
fi
wasm="$FRONTEND/target/$TARGET/release/$CRATE.wasm"

staging="$FRONTEND/target/dist.new"
rm -rf "$staging"
# The name section (function names for stack traces) is about half the raw size.
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "$staging" "$wasm"
cp index.html kehu.css boot.js "$staging/"

# --- 4. content-hashed names, compressed copies ----------------------------------
# A file's name carries a hash of its content, so the server lets browsers cache it for good
# (crates/api/src/assets.rs); each file is renamed before the files that name it are hashed.
hash_name() { # FILE, then the files that refer to it by name
    local file=$1 name stem ext hashed f
    shift
    name=$(basename "$file")
    stem=${name%.*} ext=${name##*.}
    hashed="$stem-$(sha256sum "$file" | cut -c1-16).$ext"
    mv "$file" "$(dirname "$file")/$hashed"
    for f in "$@"; do sed -i "s|${name//./\\.}|$hashed|g" "$f"; done
}
hash_name "$staging/${CRATE}_bg.wasm" "$staging/$CRATE.js" "$staging/index.html"
hash_name "$staging/$CRATE.js" "$staging/boot.js" "$staging/index.html"
hash_name "$staging/kehu.css" "$staging/index.html"
hash_name "$staging/boot.js" "$staging/index.html"
apt_install brotli
for f in "$staging"/*; do
    brotli --best --keep --force "$f"
    gzip -9 --keep --force --no-name "$f"
done
rm -rf "$DIST"
mv "$staging" "$DIST"
# Inputs changed while building stay newer than dist, so the next run rebuilds.
touch -r "$start_ref" "$DIST"

# --- 5. report ------------------------------------------------------------------
out=$(ls "$DIST"/"${CRATE}"_bg-*.wasm)
raw=$(stat -c %s "$out")
gz=$(stat -c %s "$out.gz")
br=$(stat -c %s "$out.br")
log "built frontend/dist in $((SECONDS - started)) s: $(basename "$out") $((raw / 1024)) KiB ($raw bytes), gzip -9 $((gz / 1024)) KiB, brotli $((br / 1024)) KiB"
