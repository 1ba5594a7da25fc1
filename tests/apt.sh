# Sourced by the install scripts: `apt_install PKG...` installs the Debian packages given
# (as root, or through sudo), saying so through the caller's `say`.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "apt-get install $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
