# Installs what the local environment needs from Debian's packages, only when it is missing.

# Packages by the file that proves they are there.
declare -A MERIDIAN_PACKAGES=(
  ["/usr/lib/postgresql/15/bin/postgres"]="postgresql-15"
  ["/usr/lib/postgresql/15/bin/pg_basebackup"]="postgresql-client-15"
  ["/usr/bin/redis-server"]="redis-server"
  ["/usr/bin/redis-cli"]="redis-tools"
  ["/usr/bin/curl"]="curl"
  ["/usr/sbin/nginx"]="nginx"
  ["/usr/bin/dig"]="bind9-dnsutils"
  ["/usr/bin/h2load"]="nghttp2-client"
  ["/usr/bin/openssl"]="openssl"
)

install_missing() {
  local missing=() file
  for file in "${!MERIDIAN_PACKAGES[@]}"; do
    [[ -x $file ]] || missing+=("${MERIDIAN_PACKAGES[$file]}")
  done
  command -v java >/dev/null || die "java is missing: install a JDK 17 first"
  command -v mvn >/dev/null || die "mvn is missing: install Maven 3.8+ first"
  ((${#missing[@]} == 0)) && return 0
  say "installing from Debian's packages: ${missing[*]}"
  # Debian's postinst scripts would start system-wide PostgreSQL and Redis on their default ports;
  # Meridian never uses those, so keep them from starting.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod +x "$policy"
    created_policy=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ((created_policy)) && as_root rm -f "$policy"
  for file in "${!MERIDIAN_PACKAGES[@]}"; do
    [[ -x $file ]] || die "installing ${MERIDIAN_PACKAGES[$file]} did not provide $file"
  done
}
