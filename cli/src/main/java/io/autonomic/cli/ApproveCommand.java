package io.autonomic.cli;

import io.autonomic.act.approval.ApprovalPublisher;
import io.autonomic.schemas.Topics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve a proposed remediation (a command in needs-approval mode): the worker then runs it "
                + "through its guards. Approvals expire (worker option --approval-ttl).")
final class ApproveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "COMMAND_ID", description = "the command id shown in the audit trail")
    String commandId;

    @Option(names = "--reason", defaultValue = "", description = "Why; kept in the audit trail.")
    String reason;

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    @Override
    public Integer call() {
        var approval = ApprovalPublisher.publish(bootstrapServers, Topics.defaults(), commandId,
                System.getProperty("user.name", "unknown"), reason);
        System.out.println("approved " + approval.getCommandId() + " as " + approval.getActor());
        return 0;
    }
}
