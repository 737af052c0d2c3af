#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing Lathe needs.
# Idempotent: quiet and quick when everything is already there.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang clang-format libclang-rt-14-dev
  # engine libraries
  nlohmann-json3-dev libspdlog-dev libfmt-dev libpcre2-dev libsqlite3-dev
  # Vulkan: headers, loader, shader compiler, CPU driver (lavapipe), validation layers
  libvulkan-dev glslc glslang-tools spirv-tools mesa-vulkan-drivers vulkan-validationlayers vulkan-tools
  # Qt 6 and the QML modules the app uses
  qt6-base-dev qt6-declarative-dev qt6-tools-dev libqt6sql6-sqlite libqt6svg6
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtquick-dialogs qml6-module-qtcore qml6-module-qttest qt6-declarative-dev-tools
  # tests
  libgtest-dev libgmock-dev libbenchmark-dev xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
