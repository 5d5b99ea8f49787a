/**
 * From anomalies to action: {@link io.autonomic.detect.incident.ResourceIncidentFunction} groups one resource's
 * anomalies into an incident, has a {@link io.autonomic.detect.incident.Diagnoser} name its type, lets the
 * {@link io.autonomic.detect.incident.PlaybookCatalog} pick the remediation, and publishes the incident, the
 * remediation command and the resource's health; it resolves the incident once the resource reports healthily again.
 */
package io.autonomic.detect.incident;
