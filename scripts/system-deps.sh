#!/usr/bin/env bash
# Install the Debian packages that the portal needs and that are missing, with one
# `apt-get update` first. Arguments say what is needed:
#   gettext     msgfmt, for compilemessages
#   pango       Pango and fonts, for WeasyPrint's PDFs
#   chromium    Debian's Chromium at /usr/bin/chromium, for the browser journeys
#   postgresql  initdb and pg_ctl (PostgreSQL 15), for the test run on PostgreSQL
#   wrk         the HTTP load generator of the benchmark (make benchmark)
#   xmlsec1     XML signatures for the SAML identity provider of the SSO journeys
#   pdfsig      poppler's pdfsig and NSS's certutil: the signature tests check signed
#               PDFs with a second, independent reader
# Never downloads a browser of Playwright's own. Non-interactive (CI has no stdin).
set -euo pipefail
# runuser, ldconfig and apt-get may live in sbin, which a plain PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

packages=()
for need in "$@"; do
    case "$need" in
        gettext)
            command -v msgfmt >/dev/null 2>&1 || packages+=(gettext)
            ;;
        pango)
            if ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so'; then
                packages+=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
            fi
            ;;
        chromium)
            if [ ! -x "${E2E_CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
                packages+=(chromium fonts-liberation fonts-dejavu-core)
            fi
            ;;
        postgresql)
            if ! command -v initdb >/dev/null 2>&1 \
                && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
                packages+=(postgresql)
            fi
            ;;
        wrk)
            command -v wrk >/dev/null 2>&1 || packages+=(wrk)
            ;;
        xmlsec1)
            command -v xmlsec1 >/dev/null 2>&1 || packages+=(xmlsec1)
            ;;
        pdfsig)
            command -v pdfsig >/dev/null 2>&1 || packages+=(poppler-utils)
            command -v certutil >/dev/null 2>&1 || packages+=(libnss3-tools)
            ;;
        *)
            echo "system-deps.sh: unknown need '$need'" >&2
            exit 2
            ;;
    esac
done

if [ "${#packages[@]}" -eq 0 ]; then
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "Missing Debian packages: ${packages[*]}. Install them as root:" >&2
        echo "  apt-get update && apt-get install -y ${packages[*]}" >&2
        exit 1
    fi
fi

echo "== Installing Debian packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${packages[@]}" </dev/null
