#!/usr/bin/env bash
# Install what is missing: Debian packages (only when absent) and the virtualenv in .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(redis-server tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd poppler-utils
          libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 chromium softhsm2)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> Cài gói Debian còn thiếu: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> Tạo môi trường ảo .venv ($("$PY" --version))"
  "$PY" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ requirements.txt -nt .venv/.installed ]; then
  echo "==> Cài thư viện Python (requirements.txt)"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  touch .venv/.installed
fi
