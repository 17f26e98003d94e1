# setup.sh: installs what the build and the tests need on a Debian 12
# machine, and builds Check for MinGW into the cache (sourced).
# clang with libclang-rt-14-dev gives -fsanitize=fuzzer its runtime (the
# fuzz preset); llvm brings llvm-symbolizer for readable sanitizer stacks;
# valgrind runs the host suites for scripts/valgrind; iproute2 (ss) and procps
# (pgrep) serve the benchmarks, which the test command smoke-runs; nsis
# (makensis), zip and unzip make and open the packages (scripts/package).

CHAT_PACKAGES="cmake make gcc libc6-dev pkg-config check
gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 mingw-w64-x86-64-dev
wine wine64 xvfb x11-utils xdotool imagemagick openbox
dpkg-dev xz-utils iproute2 procps
clang libclang-rt-14-dev llvm valgrind
nsis zip unzip"

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

setup_packages() {
    local missing="" p
    for p in $CHAT_PACKAGES; do
        installed "$p" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    say "installing:$missing"
    as_root apt-get update -qq || die "apt-get update failed"
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        $missing >/dev/null || die "apt-get install failed:$missing"
}

# Writes deb-src twins of the machine's own Debian apt sources (one-line
# sources.list and deb822 debian.sources alike) into a file of ours, so that
# `apt-get source` works. No host name is written into the repository: the
# entries are derived here, from whatever this machine uses.
CHAT_SRC_LIST=/etc/apt/sources.list.d/win32chat-src.sources
setup_deb_src() {
    [ -f "$CHAT_SRC_LIST" ] && return 0
    local tmp
    tmp=$(mktemp)
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        # deb822: each stanza of Types "deb" gets a deb-src copy.
        awk 'BEGIN { RS = ""; ORS = "\n\n" }
             /(^|\n)Types:[^\n]*deb([ \t]|\n|$)/ && !/deb-src/ {
                 sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' \
            /etc/apt/sources.list.d/debian.sources >>"$tmp"
    fi
    if [ -f /etc/apt/sources.list ]; then
        # one-line format, converted to deb822 stanzas.
        awk '$1 == "deb" {
                 i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                 uri = $i; suite = $(i + 1); comps = ""
                 for (j = i + 2; j <= NF; j++) comps = comps " " $j
                 printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:%s\n\n", uri, suite, comps }' \
            /etc/apt/sources.list >>"$tmp"
    fi
    grep -q . "$tmp" || die "no Debian apt sources found to derive deb-src entries from"
    as_root install -m 644 "$tmp" "$CHAT_SRC_LIST"
    rm -f "$tmp"
    as_root apt-get update -qq || die "apt-get update (with deb-src) failed"
}

# Check 0.15.x cross-built with MinGW-w64, static, from Debian's source
# package, into $CHECK_MINGW; reused when present.
setup_check_mingw() {
    [ -f "$CHECK_MINGW/lib/libcheck.a" ] && [ -f "$CHECK_MINGW/include/check.h" ] && return 0
    setup_deb_src
    say "building Check for MinGW-w64 into $CHECK_MINGW"
    local work
    work=$(mktemp -d "${TMPDIR:-/tmp}/check-mingw.XXXXXX")
    (
        set -e
        cd "$work"
        apt-get source -qq check >source.log 2>&1
        cd check-*/
        ./configure --host=x86_64-w64-mingw32 --prefix="$work/install" \
            --disable-shared --enable-static --disable-subunit \
            --disable-timeout-tests --disable-build-docs >configure.log 2>&1
        make -j"$(nproc)" -C lib >make.log 2>&1
        make -j"$(nproc)" -C src install >>make.log 2>&1
        # check.h includes this generated header, installed by the top level.
        install -m 644 check_stdint.h "$work/install/include/"
    ) || die "building Check for MinGW failed: logs in $work"
    mkdir -p "$CHAT_CACHE"
    rm -rf "$CHECK_MINGW"
    mv "$work/install" "$CHECK_MINGW"
    rm -rf "$work"
}

setup_all() {
    setup_packages
    setup_check_mingw
}
