/**
 * Where the worker reports how each action ended ({@link io.autonomic.act.outcome.OutcomeSink}), so {@code models}
 * can learn which actions fix which incidents from the {@code autonomic.outcomes} topic.
 */
package io.autonomic.act.outcome;
