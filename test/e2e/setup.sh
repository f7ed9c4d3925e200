#!/usr/bin/env bash
# Installs what the end-to-end test needs to run a real VS Code workbench without general internet
# access: Debian's Chromium and ripgrep (plus the headers code-server's native modules build
# against), and code-server 4.100.3 from the npm registry into a cache folder of its own, outside
# the extension's dependencies (it is about 300 MB and must never ship in the .vsix).
#
# Idempotent: a second run only checks that everything is in place. Runs as root (apt-get).
# Environment:
#   X1051_E2E_CACHE  where code-server is installed (default: ~/.cache/x1051-e2e)
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE="${X1051_E2E_CACHE:-$HOME/.cache/x1051-e2e}"
PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"

# 1. System packages. chromium drives the workbench (fonts-ipafont-gothic so Japanese text is
#    readable in the screenshots); ripgrep replaces the binary that
#    @vscode/ripgrep would download from GitHub; libkrb5-dev, pkg-config, build-essential and
#    python3 let code-server's native modules (kerberos, node-pty, argon2) compile from source.
PACKAGES=(chromium fonts-ipafont-gothic ripgrep libkrb5-dev pkg-config build-essential python3)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. code-server, unless this exact version is already installed.
if [ -x "$BIN" ] && [ -f "$PREFIX/.installed" ]; then
  echo "setup: code-server $CODE_SERVER_VERSION already in $PREFIX"
  exit 0
fi

echo "setup: installing code-server $CODE_SERVER_VERSION into $PREFIX (takes a few minutes)"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT

# @vscode/ripgrep@1.15.11 looks in $TMPDIR/vscode-ripgrep-cache-1.15.11 before downloading, so a
# tarball holding Debian's rg under the expected name satisfies it offline.
mkdir -p "$SCRATCH/vscode-ripgrep-cache-1.15.11"
tar czf "$SCRATCH/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg

echo '{"name":"x1051-e2e-code-server","private":true}' > "$PREFIX/package.json"
(
  cd "$PREFIX"
  export TMPDIR="$SCRATCH"
  # Root may run install scripts; node-pty's postinstall uses `npx node-gyp` (answer yes); node-gyp
  # must build against the local Node headers instead of downloading them.
  export npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr
  npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
)
"$BIN" --version
touch "$PREFIX/.installed"
echo "setup: done"
