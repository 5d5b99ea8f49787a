package io.autonomic.act.aws;

import io.autonomic.act.ActionExecutor;
import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The common shape of the AWS executors: identifiers validated first ({@link AwsIds.InvalidIdException} becomes a
 * refusal without any call), then the service calls, with SDK failures mapped by {@link AwsOutcomes}.
 */
abstract class AbstractAwsExecutor implements ActionExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(AbstractAwsExecutor.class);

    final AwsClients clients;

    AbstractAwsExecutor(AwsClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public final ActionResult execute(ActionRequest request) {
        if (!actions().contains(request.action())) {
            return AwsOutcomes.refused(request.action(), getClass().getSimpleName() + " has no such action");
        }
        try {
            return run(request);
        } catch (AwsIds.InvalidIdException e) {
            LOG.warn("refused {} on {}: {}", request.action(), request.target().getId(), e.getMessage());
            return AwsOutcomes.refused(request.action(), e.getMessage());
        } catch (SdkException e) {
            LOG.warn("{} on {} failed: {}", request.action(), request.target().getId(), e.toString());
            return AwsOutcomes.failure(request.action(), request.target().getId(), e,
                    clients.settings().maxAttempts());
        }
    }

    abstract ActionResult run(ActionRequest request) throws AwsIds.InvalidIdException;
}
