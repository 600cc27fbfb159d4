#!/usr/bin/env bash
# Vendors the web page's Markdown renderer into the gateway jar (no CDN: the page works offline and under the
# gateway's Content-Security-Policy 'self'): markdown-it's browser bundle and DOMPurify, fetched from the npm
# registry with `npm pack`, copied verbatim to gateway/src/main/resources/web/{markdown-it,purify}.js, with the
# licences of both and of the packages markdown-it bundles (entities, linkify-it, mdurl, punycode.js, uc.micro) in
# web/licenses/, and web/licenses/VERSIONS recording versions and SHA-256 (WebVendorTest checks the files against it).
#
#   scripts/update-web-vendor.sh                  # the pinned versions below
#   scripts/update-web-vendor.sh 15.1.0 3.6.0     # markdown-it and DOMPurify versions to move to
# Then run GatewayBrowserTest and WebVendorTest, update NOTICE if a licence changed, and commit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
markdown_it="${1:-15.0.3}"
dompurify="${2:-3.5.0}"
web="$root/gateway/src/main/resources/web"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "markdown-it@$markdown_it" "dompurify@$dompurify" >/dev/null
mkdir md purify
tar xzf "markdown-it-$markdown_it.tgz" -C md
tar xzf "dompurify-$dompurify.tgz" -C purify
cp md/package/dist/browser/markdown-it.umd.min.js "$web/markdown-it.js"
cp purify/package/dist/purify.min.js "$web/purify.js"
cp md/package/LICENSE "$web/licenses/markdown-it.LICENSE"
cp purify/package/LICENSE "$web/licenses/dompurify.LICENSE"
# the packages markdown-it's browser bundle includes, at the newest versions its ranges allow
bundled=""
for dep in entities linkify-it mdurl punycode.js uc.micro; do
  range="$(node -e "console.log(require('./md/package/package.json').dependencies['$dep'])")"
  tgz="$(npm pack --silent "$dep@$range" | tail -n 1)"
  mkdir "d-$dep" && tar xzf "$tgz" -C "d-$dep"
  lic="$(ls "d-$dep/package" | grep -i -m1 '^licen[cs]e')"
  cp "d-$dep/package/$lic" "$web/licenses/$dep.LICENSE"
  bundled="$bundled$dep ${tgz#"$dep"-}"$'\n'
done
{
  echo "# Vendored browser libraries of the gateway's web page (scripts/update-web-vendor.sh writes this file)."
  echo "# file                 package      version  licence                 sha256"
  echo "markdown-it.js         markdown-it  $markdown_it  MIT                     $(sha256sum "$web/markdown-it.js" | cut -d' ' -f1)"
  echo "purify.js              dompurify    $dompurify   MPL-2.0 OR Apache-2.0   $(sha256sum "$web/purify.js" | cut -d' ' -f1)"
  echo "# bundled into markdown-it.js (package version, from markdown-it's dependency ranges):"
  printf '%s' "$bundled" | sed 's/\.tgz$//; s/^/#   /'
} > "$web/licenses/VERSIONS"
echo "vendored markdown-it $markdown_it and DOMPurify $dompurify into $web"
