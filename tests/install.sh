#!/usr/bin/env bash
# make install and make uninstall into a staging directory (DESTDIR): the binary, the man page and
# the example configs (with the CSV files they read) land with their modes, the installed binary
# runs and accepts the installed configs, the man page formats without warnings (when groff is
# present), and uninstall removes exactly what install copied.  Make gets only DESTDIR and PREFIX, so it reuses the normal build.
# One "ok: ..." or "FAIL ..." line per check.
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
prefix=/usr/local
root=$dest$prefix

ok() { echo "ok: $1"; }
fail() { echo "FAIL tests/install.sh: $1"; }
check() { # check DESC CMD...: passes when CMD succeeds
    local desc=$1; shift
    if "$@"; then ok "$desc"; else fail "$desc"; fi
}
mode_is() { [ -f "$2" ] && [ "$(stat -c %a "$2")" = "$1" ]; }
no_files_under() { [ -z "$(find "$1" ! -type d)" ]; }
show() { sed 's/^/    /' "$1" | head -20; }

cfgs=() # configs/*.cfg, checked with the installed binary
data=() # configs/*.cfg and the configs/*.csv files they read
for c in configs/*.cfg configs/*.csv; do
    [ -e "$c" ] || continue
    data+=("$(basename "$c")")
    case $c in *.cfg) cfgs+=("$(basename "$c")") ;; esac
done
files=(bin/ccsim share/man/man1/ccsim.1)
for c in "${data[@]}"; do files+=("share/ccsim/configs/$c"); done

if make -s install DESTDIR="$dest" PREFIX="$prefix" >"$tmp/make.log" 2>&1; then
    ok "make install DESTDIR=... PREFIX=$prefix exits 0"
else
    fail "make install DESTDIR=... PREFIX=$prefix failed"
    show "$tmp/make.log"
    exit 1
fi

check "installs bin/ccsim with mode 755" mode_is 755 "$root/bin/ccsim"
check "installed bin/ccsim is ./ccsim" cmp -s ccsim "$root/bin/ccsim"
check "installs share/man/man1/ccsim.1 with mode 644" mode_is 644 "$root/share/man/man1/ccsim.1"
check "installed ccsim.1 is the man page" cmp -s ccsim.1 "$root/share/man/man1/ccsim.1"
check "installs at least one example config" test "${#cfgs[@]}" -gt 0
for c in "${data[@]}"; do
    check "installs share/ccsim/configs/$c with mode 644" mode_is 644 "$root/share/ccsim/configs/$c"
    check "installed $c is configs/$c" cmp -s "configs/$c" "$root/share/ccsim/configs/$c"
done
check "installs nothing else" \
    test "$(cd "$root" && find . ! -type d | sort)" = "$(printf './%s\n' "${files[@]}" | sort)"

version=$("$root/bin/ccsim" --version 2>"$tmp/err")
check "installed binary runs --version" test $? = 0
check "installed binary prints its version" grep -qE '^ccsim [0-9]+\.[0-9]+\.[0-9]+$' <<<"$version"
for c in "${cfgs[@]}"; do
    if "$root/bin/ccsim" check "$root/share/ccsim/configs/$c" >"$tmp/out" 2>&1; then
        ok "installed ccsim check accepts the installed $c"
    else
        fail "installed ccsim check rejects the installed $c"
        show "$tmp/out"
    fi
done

man=$root/share/man/man1/ccsim.1
check "man page header names ${version:-the version}" \
    grep -qE "^\.TH CCSIM 1 .*\"${version:-?}\"" "$man"
if command -v groff >/dev/null; then
    if groff -man -Tutf8 -ww "$man" >/dev/null 2>"$tmp/groff.err" && [ ! -s "$tmp/groff.err" ]; then
        ok "man page formats without warnings (groff -man -ww)"
    else
        fail "man page has groff warnings or errors"
        show "$tmp/groff.err"
    fi
fi

# A file install did not copy stays, and so does its directory; a second uninstall then removes
# the directories once they are empty.
echo "# mine" >"$root/share/ccsim/configs/mine.cfg"
check "make uninstall exits 0" make -s uninstall DESTDIR="$dest" PREFIX="$prefix"
for f in "${files[@]}"; do
    check "uninstall removes $f" test ! -e "$root/$f"
done
check "uninstall keeps a config it did not install" test -f "$root/share/ccsim/configs/mine.cfg"
rm -f "$root/share/ccsim/configs/mine.cfg"
check "a second make uninstall exits 0" make -s uninstall DESTDIR="$dest" PREFIX="$prefix"
check "uninstall removes the empty share/ccsim directory" test ! -e "$root/share/ccsim"
check "no file is left under DESTDIR" no_files_under "$dest"
