/**
 * Threat intelligence for enrich: CIDR reputation and block lists, a CIDR to country/ASN table and bad user-agent
 * patterns, read from files ({@link io.autonomic.enrich.threat.ThreatIntelFile}), published to the compacted
 * threat-intel topic ({@link io.autonomic.enrich.threat.ThreatIntelPublisher}) and looked up per point
 * ({@link io.autonomic.enrich.threat.ThreatIntel}).
 */
package io.autonomic.enrich.threat;
