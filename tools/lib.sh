# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for the tools/ scripts: error reporting, the lock file, paths.
# Sourced, never run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCK=${LOCK:-$ROOT/kernel.lock}
CACHE=${ANON_VMA_LAZY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/anon-vma-lazy}

# die "what happened. what to do." -- one paragraph on stderr, exit 1.
die() {
	printf 'error: %s\n' "$*" | fold -s -w 78 >&2
	exit 1
}

note() {
	printf '%s\n' "$*" >&2
}

# load_lock: read kernel.lock into KERNEL_* variables. The file is parsed,
# not sourced, so a stray edit cannot run code.
load_lock() {
	local key value
	[ -r "$LOCK" ] || die "$LOCK is missing. It pins the base kernel; restore it with \`git checkout kernel.lock\` or create it with \`make repin VERSION=...\`. Nothing was changed."
	KERNEL_PACKAGE= KERNEL_VERSION= KERNEL_SUITE= KERNEL_TARBALL= KERNEL_SHA256=
	while IFS='=' read -r key value; do
		case "$key" in
		''|'#'*) ;;
		KERNEL_PACKAGE|KERNEL_VERSION|KERNEL_SUITE|KERNEL_TARBALL|KERNEL_SHA256)
			printf -v "$key" '%s' "$value" ;;
		*) die "$LOCK: unknown key '$key'. Fix the file or re-create it with \`make repin VERSION=...\`. Nothing was changed." ;;
		esac
	done < "$LOCK"
	for key in KERNEL_PACKAGE KERNEL_VERSION KERNEL_SUITE KERNEL_TARBALL KERNEL_SHA256; do
		[ -n "${!key}" ] || die "$LOCK does not set $key. Fix the file or re-create it with \`make repin VERSION=...\`. Nothing was changed."
	done
	[[ $KERNEL_SHA256 =~ ^[0-9a-f]{64}$ ]] || die "$LOCK: KERNEL_SHA256 is not a sha256 sum. Fix the file or re-create it with \`make repin VERSION=...\`. Nothing was changed."
	# Upstream release of the package, e.g. 7.3.4 for 7.3.4-1~bpo13+1.
	KERNEL_RELEASE=${KERNEL_VERSION%%-*}
}

# tree_release DIR: the VERSION.PATCHLEVEL.SUBLEVEL of a kernel tree.
tree_release() {
	awk -F' *= *' '$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2; print v "." p "." s; exit }' "$1/Makefile" 2>/dev/null || true
}

# tree_id DIR: the name of a kernel tree's own build directories: its directory's name and a
# hash of its real path, so that two trees (worktrees at one HEAD, copies of one release) never
# share objects, and a tree built before finds its objects again.
tree_id() {
	local real
	real=$(realpath -m "$1")
	printf '%s-%s\n' "$(basename "$real")" "$(printf '%s' "$real" | sha1sum | cut -c1-8)"
}

# tree_has_lazy KDIR: whether the tree has the series' CONFIG_ANON_VMA_LAZY, so that the
# harness is built and run in its lazy configurations as well as the stock one.
tree_has_lazy() {
	grep -q '^config ANON_VMA_LAZY$' "$1/mm/Kconfig"
}

# count_line TEXT: "P F" from the last line of TEXT, which a test program or suite ends with
# "P passed, F failed"; "0 1" (one failure) if it does not end so, as when it died.
count_line() {
	local counts
	counts=$(tail -n 1 <<< "$1" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p')
	echo "${counts:-0 1}"
}

# add_counts TEXT: add count_line TEXT to the caller's passed and failed.
add_counts() {
	local p f
	read -r p f <<< "$(count_line "$1")"
	passed=$((passed + p)) failed=$((failed + f))
}

# build_harness KDIR VARIANT [MAKE_VARIABLE=VALUE...]: build the harness of VARIANT against
# KDIR and set HARNESS_BIN to the program. If it does not build, print the compiler's
# errors and a failed KTAP result, and return 1.
build_harness() {
	local kdir=$1 variant=$2 out
	shift 2
	HARNESS_BIN=
	if ! out=$(make -s -C "$ROOT" harness KDIR="$kdir" HARNESS_VARIANT="$variant" "$@" 2>&1); then
		awk '/error|undefined|warning/ && n++ < 40' <<< "$out"
		echo "not ok 1 build the $variant harness against $kdir"
		return 1
	fi
	HARNESS_BIN=$(make -s --no-print-directory -C "$ROOT" print-harness-objdir KDIR="$kdir" \
		HARNESS_VARIANT="$variant" "$@")/harness
}

# build_harnesses KDIR VARIANT...: build the harness of every variant at once (harness.mk:
# harnesses), quietly. A script's own `make harness` of each variant then finds it built, or
# shows why it does not build.
build_harnesses() {
	local kdir=$1
	shift
	make -s -C "$ROOT" harnesses KDIR="$kdir" HARNESS_VARIANTS="$*" > /dev/null 2>&1 || true
}

# code_id DIR: names the code of the tree at DIR's HEAD: every file but those of
# Documentation/, MAINTAINERS and what the harness patch adds (tools/testing/vma/rmap/ and
# its hook in tools/testing/vma/Makefile, which tools/series-check first checks to be this
# repository's harness). Trees with the same code_id pass or fail the harness and
# tools/testing/vma alike.
code_id() {
	git -C "$1" ls-tree -r HEAD |
		grep -vP '\t(Documentation/|MAINTAINERS$|tools/testing/vma/(rmap/|Makefile$))' |
		sha1sum | cut -c1-40
}

# git_busy DIR: name of a git operation in progress in DIR, if any.
git_busy() {
	local gd
	gd=$(git -C "$1" rev-parse --absolute-git-dir) || return 1
	if [ -d "$gd/rebase-apply" ] || [ -d "$gd/rebase-merge" ]; then echo "a git am or rebase"
	elif [ -f "$gd/MERGE_HEAD" ]; then echo "a merge"
	elif [ -f "$gd/CHERRY_PICK_HEAD" ]; then echo "a cherry-pick"
	elif [ -f "$gd/BISECT_LOG" ]; then echo "a git bisect"
	fi
}

# assembled_record TREE: the file in which tools/assemble-tree notes which patch file made
# each commit since base, one "<commit> <sha256 of patch file> <file>" line each.
assembled_record() {
	echo "$(git -C "$1" rev-parse --absolute-git-dir)/anon-vma-lazy-assembled"
}

# patch_line DIR FILE: "<sha256> <file>", how the record names a patch file.
patch_line() {
	echo "$(sha256sum < "$1/$2" | cut -d' ' -f1) $2"
}

# check_config KDIR OBJ FRAGMENT: every option of FRAGMENT has its value in OBJ/.config. An
# option preceded by a "# if-present" comment may be unknown to the tree (it comes with the
# series).
check_config() {
	local kdir=$1 obj=$2 frag=$3 line sym want got optional=0 bad=()
	while IFS= read -r line; do
		case "$line" in
		'# if-present'*) optional=1; continue ;;
		CONFIG_*=*) ;;
		*) continue ;;
		esac
		sym=${line%%=*} want=${line#*=}
		got=$(sed -n "s/^$sym=//p" "$obj/.config")
		[ -n "$got" ] || got=n
		if [ "$got" != "$want" ]; then
			if [ $optional = 1 ] && ! grep -rqsE --include='Kconfig*' "^[[:space:]]*(menu)?config ${sym#CONFIG_}\$" "$kdir"; then
				note "note: ${sym} is not defined by this tree; left out."
			else
				bad+=("$sym=$want (got $got)")
			fi
		fi
		optional=0
	done < "$frag"
	[ ${#bad[@]} = 0 ] || die "after configuring ${obj#"$ROOT"/}, these options of ${frag#"$ROOT"/} did not get their value: ${bad[*]}. Kconfig dropped them, usually because an option they depend on is off or they are spelt wrong; find the dependency with \`make -C $kdir O=$obj menuconfig\` (search with /), add it to the fragment and run again."
}

# known_bug_args KDIR: --known-bug=<test> for every test of tests/known-base-bugs whose fixing
# patch is not in KDIR's history.
known_bug_args() {
	local test subject
	[ -e "$1/.git" ] || return 0
	sed 's/#.*//' "$ROOT/tests/known-base-bugs" | while read -r test subject; do
		[ -n "$test" ] || continue
		# No grep -q: it would close the pipe early, and git log's SIGPIPE would fail the
		# pipeline under pipefail in a tree with a long history.
		git -C "$1" log --format=%s | grep -xF "$subject" > /dev/null ||
			echo "--known-bug=$test"
	done
}
