/**
 * The detect configuration: threshold rules, playbooks, incident grouping and learned-detector settings, read from
 * YAML ({@link io.autonomic.detect.config.DetectConfig}) with errors that name the file, line and field, and
 * validated once at start-up so the running job never meets a malformed rule.
 */
package io.autonomic.detect.config;
