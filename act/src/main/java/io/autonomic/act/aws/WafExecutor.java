package io.autonomic.act.aws;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.wafv2.model.GetIpSetResponse;
import software.amazon.awssdk.services.wafv2.model.GetWebAclResponse;
import software.amazon.awssdk.services.wafv2.model.Rule;
import software.amazon.awssdk.services.wafv2.model.WafOptimisticLockException;
import software.amazon.awssdk.services.wafv2.model.WebACL;

/**
 * WAFv2 actions, both read-modify-write under WAF's lock token: the object is read with its token, changed, and
 * written back with it; when another writer got there first (WAFOptimisticLockException) the read and write are
 * repeated, at most {@value #LOCK_ATTEMPTS} times.
 *
 * <ul>
 *   <li>{@value #BLOCK_CIDR}: adds parameter {@code cidr} to the IP set {@code ip-set-name}/{@code ip-set-id}
 *       in {@code scope} (REGIONAL or CLOUDFRONT) that a blocking rule references. An address already in the set is
 *       success without a write. {@code 0.0.0.0/0}, {@code ::/0} and prefixes shorter than /8 (IPv4) or /32
 *       (IPv6) are refused: they would block a large part of the internet.</li>
 *   <li>{@value #SET_RATE_LIMIT}: sets the limit of the rate-based rule {@code rule-name} in web ACL
 *       {@code web-acl-name}/{@code web-acl-id} to {@code limit} (10..2,000,000,000 requests per evaluation
 *       window), keeping every other rule and setting as read. A rule already at that limit is success.</li>
 * </ul>
 */
public final class WafExecutor extends AbstractAwsExecutor {

    public static final String BLOCK_CIDR = "aws.wafv2.block-cidr";
    public static final String SET_RATE_LIMIT = "aws.wafv2.set-rate-limit";
    static final int LOCK_ATTEMPTS = 3;

    public WafExecutor(AwsClients clients) {
        super(clients);
    }

    @Override
    public Set<String> actions() {
        return Set.of(BLOCK_CIDR, SET_RATE_LIMIT);
    }

    @Override
    ActionResult run(ActionRequest request) throws AwsIds.InvalidIdException {
        String scope = AwsIds.require(request, "scope", AwsIds.WAF_SCOPE, "WAF scope (REGIONAL or CLOUDFRONT)");
        return BLOCK_CIDR.equals(request.action()) ? blockCidr(request, scope) : setRateLimit(request, scope);
    }

    static String checkCidr(String cidr) throws AwsIds.InvalidIdException {
        boolean v4 = AwsIds.IPV4_CIDR.matcher(cidr).matches();
        boolean v6 = !v4 && AwsIds.IPV6_CIDR.matcher(cidr).matches();
        if (!v4 && !v6) {
            throw new AwsIds.InvalidIdException("parameter 'cidr' is not an IPv4 or IPv6 CIDR: '"
                    + AwsIds.abbreviate(cidr) + "'");
        }
        int prefix = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
        if (v4 ? prefix < 8 : prefix < 32) {
            throw new AwsIds.InvalidIdException("parameter 'cidr' " + cidr + " is too broad to block (prefix /"
                    + prefix + ", minimum /" + (v4 ? 8 : 32) + ")");
        }
        return cidr;
    }

    private ActionResult blockCidr(ActionRequest request, String scope) throws AwsIds.InvalidIdException {
        String name = AwsIds.require(request, "ip-set-name", AwsIds.WAF_NAME, "WAF IP set name");
        String id = AwsIds.require(request, "ip-set-id", AwsIds.WAF_ID, "WAF IP set id");
        String cidr = checkCidr(request.parameter("cidr") == null ? "" : request.parameter("cidr"));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("ipSet", name + "/" + id);
        facts.put("cidr", cidr);
        for (int attempt = 1; ; attempt++) {
            GetIpSetResponse current = clients.wafv2().getIPSet(b -> b.scope(scope).name(name).id(id));
            List<String> addresses = new ArrayList<>(current.ipSet().addresses());
            if (addresses.contains(cidr)) {
                facts.put("alreadyBlocked", "true");
                return ActionResult.success(cidr + " is already in IP set " + name, facts);
            }
            addresses.add(cidr);
            try {
                clients.wafv2().updateIPSet(b -> b.scope(scope).name(name).id(id).addresses(addresses)
                        .description(current.ipSet().description()).lockToken(current.lockToken()));
                facts.put("addresses", Integer.toString(addresses.size()));
                return ActionResult.success("added " + cidr + " to IP set " + name, facts);
            } catch (WafOptimisticLockException e) {
                if (attempt >= LOCK_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private ActionResult setRateLimit(ActionRequest request, String scope) throws AwsIds.InvalidIdException {
        String name = AwsIds.require(request, "web-acl-name", AwsIds.WAF_NAME, "WAF web ACL name");
        String id = AwsIds.require(request, "web-acl-id", AwsIds.WAF_ID, "WAF web ACL id");
        String ruleName = AwsIds.require(request, "rule-name", AwsIds.WAF_NAME, "WAF rule name");
        long limit = AwsIds.integer(request, "limit", 10, 2_000_000_000);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("webAcl", name + "/" + id);
        facts.put("rule", ruleName);
        facts.put("limit", Long.toString(limit));
        for (int attempt = 1; ; attempt++) {
            GetWebAclResponse current = clients.wafv2().getWebACL(b -> b.scope(scope).name(name).id(id));
            WebACL acl = current.webACL();
            Rule rule = acl.rules().stream().filter(r -> r.name().equals(ruleName)).findFirst().orElse(null);
            if (rule == null || rule.statement() == null || rule.statement().rateBasedStatement() == null) {
                return ActionResult.failure("web ACL " + name + " has no rate-based rule '" + ruleName + "'", facts);
            }
            Long previous = rule.statement().rateBasedStatement().limit();
            facts.put("previousLimit", String.valueOf(previous));
            if (previous != null && previous == limit) {
                facts.put("alreadyApplied", "true");
                return ActionResult.success("rate limit of " + ruleName + " is already " + limit, facts);
            }
            List<Rule> rules = new ArrayList<>();
            for (Rule r : acl.rules()) {
                rules.add(r != rule ? r : r.toBuilder().statement(r.statement().toBuilder()
                        .rateBasedStatement(r.statement().rateBasedStatement().toBuilder().limit(limit).build())
                        .build()).build());
            }
            try {
                clients.wafv2().updateWebACL(b -> b.scope(scope).name(name).id(id)
                        .defaultAction(acl.defaultAction())
                        .description(acl.description())
                        .rules(rules)
                        .visibilityConfig(acl.visibilityConfig())
                        .customResponseBodies(acl.hasCustomResponseBodies() ? acl.customResponseBodies() : null)
                        .captchaConfig(acl.captchaConfig())
                        .challengeConfig(acl.challengeConfig())
                        .tokenDomains(acl.hasTokenDomains() ? acl.tokenDomains() : null)
                        .associationConfig(acl.associationConfig())
                        .lockToken(current.lockToken()));
                return ActionResult.success("rate limit of " + ruleName + " in " + name + " set from " + previous
                        + " to " + limit, facts);
            } catch (WafOptimisticLockException e) {
                if (attempt >= LOCK_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
