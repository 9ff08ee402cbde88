#!/usr/bin/env bash
# Installs the Pulumi CLI at the version of @pulumi/pulumi in package-lock.json (CLI and SDK move together) and
# refuses it unless its SHA-256 matches the release's checksum file. The archive comes from Pulumi's download
# site and the checksum file from the GitHub release, two origins, so one altered copy is caught; if the
# repository variable PULUMI_CLI_SHA256 is set (the hash reviewed for this version), the archive must match it
# too. Names as published by pulumi/pulumi's .goreleaser.yml (read 2026-11-27): archive
# pulumi-v<version>-linux-x64.tar.gz (name_template uses the tag), checksums pulumi-<version>-checksums.txt.
#   install-pulumi-cli.sh <install dir>
# Environment: PULUMI_CLI_SHA256 (optional pin), PULUMI_DOWNLOAD_BASE / PULUMI_CHECKSUM_BASE (tests only).
# Adds <install dir>/pulumi to the job's PATH ($GITHUB_PATH, or the Azure Pipelines prependpath command).
set -euo pipefail

[ "$#" -eq 1 ] || { echo "usage: $0 <install dir>" >&2; exit 2; }
dest="$1"
cd "$(dirname "$0")/../.."

version="$(node -e '
const lock = require("./package-lock.json");
const entry = lock.packages && lock.packages["node_modules/@pulumi/pulumi"];
if (!entry || !/^\d+\.\d+\.\d+$/.test(entry.version)) { console.error("package-lock.json: no exact version of @pulumi/pulumi"); process.exit(1); }
console.log(entry.version);')"
archive="pulumi-v${version}-linux-x64.tar.gz"
sums="pulumi-${version}-checksums.txt"
download_base="${PULUMI_DOWNLOAD_BASE:-https://get.pulumi.com/releases/sdk}"
checksum_base="${PULUMI_CHECKSUM_BASE:-https://github.com/pulumi/pulumi/releases/download/v${version}}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl -fsSL --retry 3 -o "$work/$archive" "$download_base/$archive"
curl -fsSL --retry 3 -o "$work/$sums" "$checksum_base/$sums"

expected="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$work/$sums")"
[ -n "$expected" ] || { echo "install-pulumi-cli: $sums lists no $archive" >&2; exit 1; }
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] || { echo "install-pulumi-cli: $sums has no SHA-256 for $archive" >&2; exit 1; }
actual="$(sha256sum "$work/$archive" | cut -d' ' -f1)"
if [ "$actual" != "$expected" ]; then
    echo "install-pulumi-cli: $archive has SHA-256 $actual, but $sums says $expected: refusing to install" >&2
    exit 1
fi
if [ -n "${PULUMI_CLI_SHA256:-}" ] && [ "$actual" != "$PULUMI_CLI_SHA256" ]; then
    echo "install-pulumi-cli: $archive has SHA-256 $actual, but PULUMI_CLI_SHA256 pins $PULUMI_CLI_SHA256: refusing to install" >&2
    exit 1
fi

mkdir -p "$dest"
tar -xzf "$work/$archive" -C "$dest"
[ -x "$dest/pulumi/pulumi" ] || { echo "install-pulumi-cli: $archive has no pulumi/pulumi" >&2; exit 1; }
echo "Pulumi CLI $version installed in $dest/pulumi (SHA-256 $actual verified)"
if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$dest/pulumi" >> "$GITHUB_PATH"
elif [ -n "${TF_BUILD:-}" ]; then
    echo "##vso[task.prependpath]$dest/pulumi"
fi
