# shellcheck shell=bash disable=SC2154 # started, build_seconds: set by scripts/test-newest
# The real-process smoke test (python -m scripts.hass.smoke) on the newest leg; sourced by
# scripts/test-newest for `scripts/test-newest --smoke`, and uses its globals and helpers.
#
# hass needs more than the test venv holds (the frontend, and the pins of every integration
# bootstrap sets up: scripts/hass/requirements.py walks their manifests). They go into a
# second venv in the root, $SMOKE_VENV, layered on the test venv by a .pth file, so the
# test venv stays exactly its pins. requirements_develop_newest.txt freezes that layer; it
# is written when missing or made for another Home Assistant, and reused otherwise. Some
# pins have no wheels for this Python (pymicro-vad, pyspeex-noise), so the first build also
# puts a C/C++ toolchain into the root with apt, and libturbojpeg for camera snapshots (the
# ffmpeg binary, 160 packages, is left out: hass logs an ERROR from haffmpeg without it).

readonly SMOKE_PINS="$REPO/requirements_develop_newest.txt"
readonly SMOKE_VENV=/opt/smoke-venv # inside the root
readonly SMOKE_STAMP="$ROOT$SMOKE_VENV/.rhombus-newest-smoke-venv"
readonly SMOKE_APT="g++ $PY-dev libturbojpeg0"

venv_fact() { grep "^$1=" "$VENV_STAMP" | cut -d= -f2; }
smoke_pins_current() { [[ -f $SMOKE_PINS ]] && grep -qxF "# homeassistant==$(venv_fact homeassistant)" "$SMOKE_PINS"; }
smoke_pins_digest() { grep -v '^[[:space:]]*\(#\|$\)' "$SMOKE_PINS" | sha256sum | cut -d' ' -f1; }

# Rebuilt when the test venv under it, the pins or the Debian packages change.
smoke_venv_ok() {
	smoke_pins_current && [[ -f $SMOKE_STAMP ]] &&
		grep -qxF "base=$(venv_fact pins)" "$SMOKE_STAMP" &&
		grep -qxF "apt=$SMOKE_APT" "$SMOKE_STAMP" &&
		grep -qxF "pins=$(smoke_pins_digest)" "$SMOKE_STAMP"
}

ensure_apt_packages() {
	local states
	# shellcheck disable=SC2016,SC2086 # a dpkg format; a word list
	states=$(chroot "$ROOT" dpkg-query -W -f='${db:Status-Status} ' $SMOKE_APT 2>/dev/null || true)
	# shellcheck disable=SC2086
	[[ $states == "$(printf 'installed %.0s' $SMOKE_APT)" ]] && return
	say "installing $SMOKE_APT into the root (some pins have no $PY wheels)"
	cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
	local apt_proxy=""
	eval "$(apt-config shell apt_proxy Acquire::http::Proxy 2>/dev/null || true)"
	[[ -z $apt_proxy || -n ${http_proxy:-} ]] || export http_proxy=$apt_proxy
	# Check-Valid-Until: a mirror that is a frozen snapshot has an expired Release file
	# (debootstrap does not look); its signature is still checked.
	in_root "" "" -- /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive /bin/sh -ec "
		apt-get -qq -o Acquire::Check-Valid-Until=false update
		apt-get -qq -y -o Dpkg::Use-Pty=0 --no-install-recommends install $SMOKE_APT >/dev/null
		apt-get clean
	" || die "could not install $SMOKE_APT into the root"
}

build_smoke_venv() {
	ensure_apt_packages
	local from
	from="the manifests of Home Assistant $(venv_fact homeassistant)"
	! smoke_pins_current || from=${SMOKE_PINS##*/}
	say "installing what hass needs beyond the tests into $SMOKE_VENV, from $from"
	write_pip_conf
	cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
	rm -rf --one-file-system "$ROOT$SMOKE_VENV"
	local pins=""
	! smoke_pins_current || pins=/src/${SMOKE_PINS##*/}
	# shellcheck disable=SC2016 # expanded by the inner sh
	in_root "$REPO" "" -- /bin/sh -ec '
		layer=$1 base=$2 py=$3 pins=$4
		purelib() { "$1" -c "import sysconfig; print(sysconfig.get_path(\"purelib\"))"; }
		"$py" -m venv --without-pip "$layer"
		purelib "$base/bin/python" >"$(purelib "$layer/bin/python")/_rhombus_test_venv.pth"
		# pip too comes from the test venv; it installs into the layer (sys.prefix).
		if [ -n "$pins" ]; then
			"$layer/bin/python" -m pip install -q -r "$pins"
		else
			missing=$(cd /src && "$layer/bin/python" -m scripts.hass.requirements)
			[ -z "$missing" ] || "$layer/bin/python" -m pip install -q $missing
		fi
		"$layer/bin/python" -m pip check >/dev/null
	' sh "$SMOKE_VENV" "$VENV" "/usr/bin/$PY" "$pins" || die "pip install into $SMOKE_VENV failed"
	# Output goes to files, not $(...): a subshell would escape the cleanup trap.
	# shellcheck disable=SC2016 # expanded by the inner sh
	in_root "$REPO" "" -- /bin/sh -c 'cd /src && exec "$@"' sh \
		$SMOKE_VENV/bin/python -m scripts.hass.requirements \
		>"$RUN_DIR/unmet" || die "scripts/hass/requirements.py failed in $SMOKE_VENV"
	! grep -q . "$RUN_DIR/unmet" || die "${SMOKE_PINS##*/} misses what the manifests pin:" \
		"$(xargs <"$RUN_DIR/unmet") (delete the file to regenerate it)"
	if [[ -z $pins ]]; then
		# shellcheck disable=SC2016 # expanded by the inner sh
		in_root "" "" -- /bin/sh -c 'exec "$1" -m pip freeze --path "$("$1" -c "
import sysconfig; print(sysconfig.get_path(\"purelib\"))")"' sh $SMOKE_VENV/bin/python \
			>"$RUN_DIR/frozen" || die "pip freeze in $SMOKE_VENV failed"
		{
			echo "# What a real hass needs on the newest leg (scripts/test-newest --smoke) beyond"
			echo "# requirements_test_newest.txt: the manifest pins of the integrations it sets up"
			echo "# (scripts/hass/requirements.py) and their dependencies, frozen. Rewritten when"
			echo "# Home Assistant changes; delete it to regenerate it."
			echo "# homeassistant==$(venv_fact homeassistant)"
			cat "$RUN_DIR/frozen"
		} >"$SMOKE_PINS"
		say "wrote ${SMOKE_PINS##*/} ($(grep -c '==' "$RUN_DIR/frozen") packages): commit it"
	fi
	{
		echo "base=$(venv_fact pins)"
		echo "pins=$(smoke_pins_digest)"
		echo "apt=$SMOKE_APT"
		grep -i '^home-assistant-frontend==' "$SMOKE_PINS" | sed 's/==/=/' || true
		echo "built=$(date -u +%FT%TZ)"
	} >"$SMOKE_STAMP"
}

# Run scripts.hass.smoke in the root (from /src, the repo); on failure keep hass's config dir on the host.
run_smoke() {
	local rc=0
	say "smoke on Home Assistant $(venv_fact homeassistant) / Python $(venv_fact python)" \
		"(${build_seconds}s preparing)"
	mkdir "$RUN_DIR/tmp"
	# shellcheck disable=SC2016 # expanded by the inner sh
	in_root "$REPO" "$RUN_DIR" -- /usr/bin/env TMPDIR=/run/newest/tmp \
		/bin/sh -c 'cd /src && exec "$@"' sh \
		$SMOKE_VENV/bin/python -m scripts.hass.smoke "$@" || rc=$?
	echo
	if [[ $rc -ne 0 ]] && compgen -G "$RUN_DIR/tmp/rhombus-smoke-*" >/dev/null; then
		local kept
		kept=$(mktemp -d /tmp/rhombus-smoke-newest.XXXXXX)
		mv "$RUN_DIR"/tmp/rhombus-smoke-* "$kept"/
		echo "hass config and log (/run/newest/tmp inside the root) kept on the host in $kept"
	fi
	echo "newest leg smoke: Home Assistant $(venv_fact homeassistant)," \
		"home-assistant-frontend $(grep '^home-assistant-frontend=' "$SMOKE_STAMP" | cut -d= -f2)," \
		"Python $(venv_fact python); total $((SECONDS - started))s" \
		"(preparing ${build_seconds}s); exit $rc"
	return "$rc"
}
