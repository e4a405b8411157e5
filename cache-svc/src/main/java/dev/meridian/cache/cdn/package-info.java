/** CDN purge integration: Cloudflare's purge API and CloudFront invalidations (SigV4), passed on from Meridian's purges. */
package dev.meridian.cache.cdn;
