/**
 * Executors acting on AWS through the SDK v2: SSM automations and allowlisted cleanup scripts, ECS deployments and
 * tasks, Auto Scaling capacity and instance health, EC2 reboots and open-ingress revocation, Lambda alias
 * rollback, Route 53 weight shifts and WAFv2 IP sets and rate limits. Every identifier is validated before any
 * call, idempotency tokens are passed where the API takes one, and SDK failures become results that say whether
 * the call was denied, throttled or aimed at something that does not exist. Built by
 * {@link io.autonomic.act.aws.AwsExecutors#fromOptions}.
 */
package io.autonomic.act.aws;
