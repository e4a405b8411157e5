/** Operating global-lb-svc: {@code /health/global-lb}. */
package dev.meridian.glb.admin;
