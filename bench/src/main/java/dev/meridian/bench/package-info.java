/** Load generators for Meridian's side-by-side benchmarks; run from bench/&lt;svc&gt;/run.sh, never from tests. */
package dev.meridian.bench;
