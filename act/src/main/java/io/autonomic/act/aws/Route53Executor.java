package io.autonomic.act.aws;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * {@value #SHIFT_WEIGHT}: shifts traffic between the weighted records of one name, e.g. away from an unhealthy
 * region (weight 0 fails over to the others).
 *
 * <p>Parameters: {@code hosted-zone-id}, {@code record-name}, {@code record-type}, and one
 * {@code weight.<set-identifier>=<0..255>} per record to change. The current records are read
 * (ListResourceRecordSets) and each named one is UPSERTed unchanged except for its weight, in one change batch,
 * so TTL, values, alias targets and health checks are kept. UPSERT sets a value, so a repeat is harmless, and
 * records already at their weights are reported without a call.
 */
public final class Route53Executor extends AbstractAwsExecutor {

    public static final String SHIFT_WEIGHT = "aws.route53.shift-weight";
    static final String WEIGHT_PREFIX = "weight.";

    public Route53Executor(AwsClients clients) {
        super(clients);
    }

    @Override
    public Set<String> actions() {
        return Set.of(SHIFT_WEIGHT);
    }

    @Override
    ActionResult run(ActionRequest request) throws AwsIds.InvalidIdException {
        String zone = AwsIds.match(AwsIds.require(request, "hosted-zone-id", AwsIds.HOSTED_ZONE_ID, "hosted zone id"),
                AwsIds.HOSTED_ZONE_ID, "hosted zone id", "parameter 'hosted-zone-id'").group(1);
        String name = AwsIds.require(request, "record-name", AwsIds.DNS_NAME, "DNS record name");
        String type = AwsIds.require(request, "record-type", AwsIds.RECORD_TYPE, "DNS record type");
        Map<String, Long> weights = new TreeMap<>();
        for (Map.Entry<String, String> entry : request.parameters().entrySet()) {
            if (entry.getKey().startsWith(WEIGHT_PREFIX)) {
                String setId = AwsIds.check(entry.getKey().substring(WEIGHT_PREFIX.length()), AwsIds.SET_IDENTIFIER,
                        "record set identifier", "parameter '" + entry.getKey() + "'");
                weights.put(setId, (long) AwsIds.integer(request, entry.getKey(), 0, 255));
            }
        }
        if (weights.isEmpty()) {
            throw new AwsIds.InvalidIdException("at least one 'weight.<set-identifier>' parameter is required");
        }
        String fqdn = name.endsWith(".") ? name : name + ".";
        ListResourceRecordSetsResponse listed = clients.route53().listResourceRecordSets(b -> b.hostedZoneId(zone)
                .startRecordName(fqdn).startRecordType(type).maxItems("300"));
        Map<String, ResourceRecordSet> existing = new LinkedHashMap<>();
        for (ResourceRecordSet set : listed.resourceRecordSets()) {
            if (set.name().equalsIgnoreCase(fqdn) && set.typeAsString().equals(type) && set.setIdentifier() != null) {
                existing.put(set.setIdentifier(), set);
            }
        }
        List<Change> changes = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<String, Long> wanted : weights.entrySet()) {
            ResourceRecordSet set = existing.get(wanted.getKey());
            if (set == null) {
                return ActionResult.failure("no weighted " + type + " record '" + wanted.getKey() + "' for " + fqdn
                        + " in zone " + zone + "; found " + existing.keySet(), Map.of("hostedZoneId", zone));
            }
            if (set.weight() == null) {
                return ActionResult.failure("record '" + wanted.getKey() + "' for " + fqdn + " is not weighted",
                        Map.of("hostedZoneId", zone));
            }
            if (set.weight().equals(wanted.getValue())) {
                unchanged.add(wanted.getKey());
                continue;
            }
            changes.add(Change.builder().action(ChangeAction.UPSERT)
                    .resourceRecordSet(set.toBuilder().weight(wanted.getValue()).build()).build());
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("hostedZoneId", zone);
        facts.put("record", fqdn + " " + type);
        weights.forEach((setId, weight) -> facts.put("weight." + setId, Long.toString(weight)));
        if (changes.isEmpty()) {
            facts.put("alreadyApplied", "true");
            return ActionResult.success("weights of " + fqdn + " already as requested", facts);
        }
        ChangeResourceRecordSetsResponse response = clients.route53().changeResourceRecordSets(b -> b
                .hostedZoneId(zone)
                .changeBatch(batch -> batch.comment(AwsIds.truncate("autonomic " + request.idempotencyKey(), 256)).changes(changes)));
        facts.put("changeId", response.changeInfo().id());
        facts.put("changeStatus", response.changeInfo().statusAsString());
        return ActionResult.success("shifted weights of " + fqdn + " " + type + " (" + changes.size()
                + " record(s) changed" + (unchanged.isEmpty() ? "" : ", " + unchanged + " already set") + ")", facts);
    }
}
