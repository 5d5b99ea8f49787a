/**
 * The local-process executor: restarting a service through a {@link io.autonomic.act.process.ProcessControl}
 * (configured argv lists run without a shell, or the cli's demo children) and removing files inside allowlisted
 * directories only, with every path resolved to its real location before anything is deleted.
 */
package io.autonomic.act.process;
