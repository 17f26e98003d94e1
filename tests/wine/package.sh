#!/usr/bin/env bash
# package.sh OBJDUMP SUITE_EXE VERSION: the packages as a user gets them.
# Runs scripts/package twice, in two build folders, and compares the bytes
# (reproducible); packs the same sources as an older version; checks the
# zip's contents, dates and the packaged programs' imports; then, in a
# fresh Wine prefix of its own, runs the test_package suite (install,
# upgrade, use, uninstall, the portable folder: tests/wine/test_package.c).
# Takes about a minute and a half; everything is under
# build/mingw/tests/wine/package/.
set -u
objdump=$1 suite=$2 version=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/server_lib.sh" # check()
. "$here/../../scripts/lib/common.sh"
. "$CHAT_ROOT/scripts/lib/wine.sh"
old=0.0.9
name=win32chat-$version-win64
work=$(cd "$(dirname "$suite")" && pwd)/package || exit 1
rm -rf "$work"
mkdir -p "$work"

pack() { # pack TAG [OPTIONS...]: scripts/package into $work/TAG
    local tag=$1
    shift
    "$CHAT_ROOT/scripts/package" --build "$work/release-$tag" --out "$work/$tag" "$@" \
        >"$work/package-$tag.log" 2>&1
    local rc=$?
    sed 's/^/  /' "$work/package-$tag.log"
    return $rc
}
check "scripts/package packs version $version" pack a
check "scripts/package packs it again in another build folder" pack b
check "scripts/package packs the same sources as $old" pack old --as-version "$old"
for f in "$name.zip" "$name-setup.exe" "$name-symbols.zip"; do
    check "$f is named by the version" [ -s "$work/a/$f" ]
done
check "the older installer is named by its version" [ -s "$work/old/win32chat-$old-win64-setup.exe" ]

# Reproducible: the same commit, packed twice, is the same bytes.
for f in chat_client.exe chat_server.exe; do
    check "$f is byte-identical from both build folders" \
        cmp "$work/release-a/stage/$name/$f" "$work/release-b/stage/$name/$f"
done
for f in "$name.zip" "$name-symbols.zip" "$name-setup.exe"; do
    check "$f is byte-identical both times" cmp "$work/a/$f" "$work/b/$f"
done

# The zip: one folder of six files, every one dated at the commit.
listing=$(unzip -Z1 "$work/a/$name.zip" | sort | tr '\n' ' ')
want="$name/ $name/LICENSE.txt $name/README.txt $name/chat_client.exe $name/chat_server.exe"
check "the zip holds the programs, README, LICENSE and portable.txt (got: $listing)" \
    [ "$listing" = "$want $name/portable.txt " ]
# zip keeps DOS times, in two-second steps, rounding an odd second up.
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$CHAT_ROOT" log -1 --format=%ct)}
stamp=$(TZ=UTC LC_ALL=C date -d "@$(((epoch + 1) / 2 * 2))" +%y-%b-%d\ %H:%M)
dates=$(TZ=UTC LC_ALL=C zipinfo "$work/a/$name.zip" | awk '/^[-d]/ { print $7, $8 }' | sort -u)
check "every file in the zip is dated at the commit, $stamp (got: $dates)" [ "$dates" = "$stamp" ]

rm -rf "$work/portable"
mkdir -p "$work/portable"
check "the zip unpacks" unzip -q "$work/a/$name.zip" -d "$work/portable"
portable=$work/portable/$name
imports_out=$(bash "$here/imports.sh" "$objdump" "$portable/chat_client.exe" \
    "$portable/chat_server.exe")
check "the packaged programs import only the DLLs the README names" \
    grep -q '^imports: [1-9][0-9]* passed, 0 failed$' <<<"$imports_out"
sed 's/^/  /' <<<"$imports_out"

# A fresh prefix of its own: nothing installed, no settings; and a home of
# its own, which Wine links the prefix's Desktop and Documents to.
export CHAT_WINEPREFIX=$work/prefix HOME=$work/home
mkdir -p "$HOME"
wine_ready
trap 'wineserver -k 2>/dev/null' EXIT
export CHAT_PKG_SETUP CHAT_PKG_OLD_SETUP CHAT_PKG_OLD_VERSION=$old CHAT_PKG_PORTABLE
CHAT_PKG_SETUP=$(winepath -w "$work/a/$name-setup.exe" 2>/dev/null)
CHAT_PKG_OLD_SETUP=$(winepath -w "$work/old/win32chat-$old-win64-setup.exe" 2>/dev/null)
CHAT_PKG_PORTABLE=$(winepath -w "$portable" 2>/dev/null)
(cd "$work" && wine "$suite" </dev/null)
check "the install, upgrade, uninstall and portable suite passes" [ $? = 0 ]

echo "package: $passed passed, $failed failed"
[ "$failed" = 0 ]
