/**
 * Playbooks as code: the YAML catalog of what the worker may do for which incident
 * ({@link io.autonomic.act.playbook.PlaybookCatalog}), validated once at load with errors naming file and line. A
 * command whose playbook is unknown or disabled, or whose action its playbook does not declare, is rejected.
 */
package io.autonomic.act.playbook;
