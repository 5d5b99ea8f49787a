/**
 * Per-source request surges: a DDoS (concentrated, listed or bad-reputation sources, non-standard user agents) told
 * apart from a flash crowd (many clean networks with browser user agents).
 */
package io.autonomic.detect.threat;
