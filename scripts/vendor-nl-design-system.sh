#!/usr/bin/env bash
# Copy the NL Design System CSS from node_modules/ (npm ci, package.json's versions) into
# static/vendor/nl-design-system/, where the portal serves it from. Run after changing a
# version in package.json, then update the table in that folder's README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
target=static/vendor/nl-design-system
utrecht=node_modules/@utrecht/component-library-css
voorbeeld=node_modules/@nl-design-system-unstable/voorbeeld-design-tokens
cp "$utrecht/dist/index.css" "$target/utrecht-component-library.css"
cp "$utrecht/dist/html.css" "$target/utrecht-html.css"
cp "$voorbeeld/dist/theme.css" "$target/voorbeeld-theme.css"
cp "$utrecht/LICENSE.md" "$target/LICENSE.md"
echo "Copied $(node -p "require('./$utrecht/package.json').version") and $(node -p "require('./$voorbeeld/package.json').version") into $target"

# The Voorbeeld theme's fonts (Noto), Latin and Latin Extended, WOFF2: the files that
# static/vendor/fonts/noto.css names, copied again from @fontsource.
for file in static/vendor/fonts/*/*.woff2; do
  family=$(basename "$(dirname "$file")")
  cp "node_modules/@fontsource/$family/files/$(basename "$file")" "$file"
done
cp node_modules/@fontsource/noto-sans/LICENSE static/vendor/fonts/OFL.txt
