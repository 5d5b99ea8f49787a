/** YAML configuration files read with line numbers, for errors that point at the line a person edits. */
package io.autonomic.schemas.yaml;
