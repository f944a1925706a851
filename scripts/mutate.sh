#!/bin/sh
# `npm run mutate*`: Stryker, as root only inside a throwaway sandbox. Its mutants are of code that
# edits sshd's config, firewalls and users' files, and a mutant can turn a test's temporary path or
# fake runner into the real one: one rewrote this machine's /etc/ssh/sshd_config (2026-11-30). So
# /etc, /home and /root/.ssh are private copies, /run is empty (no systemd to reload through), and
# the network is a new namespace with only loopback (the socket probes' tests listen there).
set -eu
if [ "$(id -u)" != 0 ] || [ "${SSH_DOCTOR_MUTATE_SANDBOX:-}" = 1 ]; then exec npx stryker run "$@"; fi
exec unshare --mount --propagation private --net --fork env SSH_DOCTOR_MUTATE_SANDBOX=1 sh -eu -c '
  ip link set lo up
  for d in /etc /home /root/.ssh; do
    [ -d "$d" ] || continue
    copy=$(mktemp -d)
    mount -t tmpfs tmpfs "$copy"
    cp -a "$d/." "$copy/"
    mount --bind "$copy" "$d"
  done
  mount -t tmpfs tmpfs /run
  exec npx stryker run "$@"
' sh "$@"
