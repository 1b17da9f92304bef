#!/bin/sh
# install-pth.sh DIR - make `import dce` work with no environment variables: a
# dce.pth naming DIR in the site-packages of every python3 found (the one on PATH
# and Debian's /usr/bin/python3), or in the user's site directory when that one is
# not writable. Prints where it went.
dir=$1
done_any=0
for py in $(command -v python3) /usr/bin/python3; do
	[ -x "$py" ] || continue
	site=$("$py" -c 'import site, sys
c = [p for p in site.getsitepackages() if p.startswith(sys.prefix + "/local/") or "site-packages" in p]
print((c or site.getsitepackages())[0])' 2>/dev/null) || continue
	if mkdir -p "$site" 2>/dev/null && echo "$dir" >"$site/dce.pth" 2>/dev/null; then
		echo "python module dce: $site/dce.pth -> $dir"
		done_any=1
	else
		user=$("$py" -m site --user-site 2>/dev/null) || continue
		mkdir -p "$user" && echo "$dir" >"$user/dce.pth" && echo "python module dce: $user/dce.pth -> $dir" && done_any=1
	fi
done
[ "$done_any" = 1 ] || echo "python module dce: no python3 found; add $dir to PYTHONPATH"
exit 0
