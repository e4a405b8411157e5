# The demo origin (port 8100): the stand-in for the user's application behind the suite. Started
# from its single source file, so it runs before (and without) a build of the reactor.

ORIGIN_SOURCE=$MERIDIAN_ROOT/demo-origin/src/main/java/dev/meridian/demo/DemoOrigin.java

origin_healthy() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$PORT_ORIGIN/healthz"; }

origin_up() {
  origin_healthy && return 0
  port_open "$PORT_ORIGIN" && die "port $PORT_ORIGIN is taken by something that is not the demo origin"
  mkdir -p "$LOGS" "$PIDS"
  # A session of its own, as every service (see services.sh).
  setsid nohup java -Xmx128m "$ORIGIN_SOURCE" --port "$PORT_ORIGIN" >"$LOGS/demo-origin.log" 2>&1 &
  echo $! >"$PIDS/demo-origin.pid"
  wait_for "demo origin" 60 origin_healthy || die "demo origin did not answer; see $LOGS/demo-origin.log"
}

origin_down() { stop_pid "demo origin" "$PIDS/demo-origin.pid"; }
