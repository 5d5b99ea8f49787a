package io.autonomic.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceIdentityTest {

    private static final String TASK_ARN = "arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/0a1b2c3d4e";

    private static Resource resolve(String... keyValues) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            attributes.put(keyValues[i], keyValues[i + 1]);
        }
        return ResourceIdentity.resolve(attributes);
    }

    @Test
    void resolve_cloudResourceIdOfEcsTask_winsOverEverythingElse() {
        Resource resource = resolve("cloud.resource_id", TASK_ARN, "aws.ecs.task.arn", "arn:aws:ecs:x:y:task/other",
                "k8s.pod.name", "pod", "host.name", "h", "service.name", "checkout");

        assertThat(resource.getKind()).isEqualTo(ResourceKind.ECS_TASK);
        assertThat(resource.getId()).isEqualTo("ecs-task:" + TASK_ARN);
        assertThat(resource.getService()).isEqualTo("checkout");
    }

    @Test
    void resolve_cloudResourceIdArns_takeTheirKindFromTheArnService() {
        assertThat(resolve("cloud.resource_id", "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"))
                .returns(ResourceKind.EC2_INSTANCE, Resource::getKind)
                .returns("ec2-instance:arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", Resource::getId);
        assertThat(resolve("cloud.resource_id", "arn:aws:ecs:us-east-1:123456789012:service/prod/checkout"))
                .returns(ResourceKind.ECS_SERVICE, Resource::getKind)
                .returns("ecs-service:arn:aws:ecs:us-east-1:123456789012:service/prod/checkout", Resource::getId);
        assertThat(resolve("cloud.resource_id", "arn:aws:lambda:us-east-1:123456789012:function:resize"))
                .returns(ResourceKind.LAMBDA_FUNCTION, Resource::getKind)
                .returns("lambda:us-east-1/resize", Resource::getId);
        assertThat(resolve("cloud.resource_id", "arn:aws:lambda:us-east-1:123456789012:function:resize:7"))
                .returns("lambda:us-east-1/resize:7", Resource::getId);
        assertThat(resolve("cloud.resource_id", "arn:aws:s3:::my-bucket"))
                .returns(ResourceKind.CLOUD_RESOURCE, Resource::getKind)
                .returns("cloud:arn:aws:s3:::my-bucket", Resource::getId);
        assertThat(resolve("cloud.resource_id", "//compute.googleapis.com/projects/p/zones/z/instances/vm-1"))
                .returns(ResourceKind.CLOUD_RESOURCE, Resource::getKind)
                .returns("cloud://compute.googleapis.com/projects/p/zones/z/instances/vm-1", Resource::getId);
    }

    @Test
    void resolve_lambdaArnAndLambdaAttributes_giveTheSameId() {
        Resource fromArn = resolve("cloud.resource_id", "arn:aws:lambda:eu-west-1:123456789012:function:resize:3");
        Resource fromFaas = resolve("cloud.provider", "aws", "cloud.region", "eu-west-1", "faas.name", "resize",
                "faas.version", "3");

        assertThat(fromArn.getId()).isEqualTo(fromFaas.getId()).isEqualTo("lambda:eu-west-1/resize:3");
    }

    @Test
    void resolve_ecsTaskArn_winsOverLambdaPodAndHost() {
        Resource resource = resolve("aws.ecs.task.arn", TASK_ARN, "cloud.provider", "aws", "faas.name", "f",
                "k8s.pod.name", "pod", "host.name", "ip-10-0-0-1", "service.name", "checkout");

        assertThat(resource.getKind()).isEqualTo(ResourceKind.ECS_TASK);
        assertThat(resource.getId()).isEqualTo("ecs-task:" + TASK_ARN);
    }

    @Test
    void resolve_faasNameOnAws_isALambdaFunction() {
        assertThat(resolve("cloud.provider", "aws", "cloud.region", "us-west-2", "faas.name", "thumbnails",
                "service.name", "thumbnails", "host.name", "169.254.1.1"))
                .returns(ResourceKind.LAMBDA_FUNCTION, Resource::getKind)
                .returns("lambda:us-west-2/thumbnails", Resource::getId)
                .returns("thumbnails", Resource::getService);
        assertThat(resolve("cloud.provider", "aws", "faas.name", "thumbnails", "faas.version", "$LATEST").getId())
                .isEqualTo("lambda:unknown/thumbnails:$LATEST");
    }

    @Test
    void resolve_faasNameOnAnotherCloud_fallsThroughToLaterRules() {
        assertThat(resolve("cloud.provider", "gcp", "faas.name", "fn", "service.name", "fn"))
                .returns(ResourceKind.SERVICE, Resource::getKind)
                .returns("service:fn", Resource::getId);
    }

    @Test
    void resolve_k8sPod_usesNamespaceOrDefault() {
        assertThat(resolve("k8s.pod.name", "checkout-7d9f", "k8s.namespace.name", "prod", "host.name", "node-3",
                "service.name", "checkout"))
                .returns(ResourceKind.K8S_POD, Resource::getKind)
                .returns("k8s-pod:prod/checkout-7d9f", Resource::getId);
        assertThat(resolve("k8s.pod.name", "checkout-7d9f").getId()).isEqualTo("k8s-pod:default/checkout-7d9f");
    }

    @Test
    void resolve_hostWithService_isAHostProcess_preferringHostNameOverHostId() {
        assertThat(resolve("host.name", "host-1", "host.id", "a3bf90e006b2", "service.name", "checkout"))
                .returns(ResourceKind.HOST_PROCESS, Resource::getKind)
                .returns("process:host-1/checkout", Resource::getId);
        assertThat(resolve("host.id", "a3bf90e006b2", "service.name", "checkout").getId())
                .isEqualTo("process:a3bf90e006b2/checkout");
    }

    @Test
    void resolve_hostOnly_isAHost() {
        assertThat(resolve("host.name", "db-1", "os.type", "linux"))
                .returns(ResourceKind.HOST, Resource::getKind)
                .returns("host:db-1", Resource::getId)
                .returns(null, Resource::getService);
    }

    @Test
    void resolve_k8sDeploymentWithoutPod_isADeployment() {
        assertThat(resolve("k8s.deployment.name", "checkout", "k8s.namespace.name", "prod", "k8s.cluster.name", "eu-1"))
                .returns(ResourceKind.K8S_DEPLOYMENT, Resource::getKind)
                .returns("k8s-deployment:prod/checkout", Resource::getId);
        assertThat(resolve("k8s.deployment.name", "checkout", "k8s.pod.name", "checkout-7d9f").getKind())
                .isEqualTo(ResourceKind.K8S_POD);
    }

    @Test
    void resolve_k8sNodeWithoutService_isANode() {
        assertThat(resolve("k8s.node.name", "node-3", "host.name", "ip-10-0-3-3"))
                .returns(ResourceKind.K8S_NODE, Resource::getKind)
                .returns("k8s-node:node-3", Resource::getId);
        assertThat(resolve("k8s.node.name", "node-3", "host.name", "ip-10-0-3-3", "service.name", "agent").getKind())
                .isEqualTo(ResourceKind.HOST_PROCESS);
    }

    @Test
    void resolve_ec2DetectorHostWithoutService_isTheInstanceAsCloudWatchNamesIt() {
        assertThat(resolve("host.id", "i-0abc12345def67890", "host.name", "ip-10-0-1-17.ec2.internal",
                "cloud.provider", "aws", "cloud.platform", "aws_ec2", "cloud.region", "us-east-1",
                "cloud.account.id", "123456789012"))
                .returns(ResourceKind.EC2_INSTANCE, Resource::getKind)
                .returns("ec2-instance:arn:aws:ec2:us-east-1:123456789012:instance/i-0abc12345def67890", Resource::getId);
        assertThat(resolve("host.id", "i-0abc12345def67890", "cloud.platform", "aws_ec2", "cloud.region", "us-east-1",
                "cloud.account.id", "123456789012", "service.name", "checkout").getId())
                .isEqualTo("process:i-0abc12345def67890/checkout");
    }

    @Test
    void resolve_serviceOnly_isAService() {
        assertThat(resolve("service.name", "checkout", "telemetry.sdk.language", "java"))
                .returns(ResourceKind.SERVICE, Resource::getKind)
                .returns("service:checkout", Resource::getId);
    }

    @Test
    void resolve_nothingKnown_isUnknownWithAStableHashOfTheSortedAttributes() {
        Resource one = resolve("b", "2", "a", "1");
        Resource sameInOtherOrder = resolve("a", "1", "b", "2");
        Resource different = resolve("a", "1", "b", "3");

        assertThat(one.getKind()).isEqualTo(ResourceKind.UNKNOWN);
        assertThat(one.getId()).matches("unknown:[0-9a-f]{16}").isEqualTo(sameInOtherOrder.getId());
        assertThat(different.getId()).isNotEqualTo(one.getId());
        assertThat(resolve().getId()).isEqualTo(ResourceIdentity.resolve(Map.of()).getId()).startsWith("unknown:");
    }

    @Test
    void resolve_blankValues_countAsAbsent() {
        assertThat(resolve("cloud.resource_id", " ", "k8s.pod.name", "", "host.name", "host-1", "service.name", "api"))
                .returns(ResourceKind.HOST_PROCESS, Resource::getKind)
                .returns("process:host-1/api", Resource::getId);
    }

    @Test
    void resolve_keepsAllAttributesSortedByKey() {
        assertThat(resolve("service.name", "api", "deployment.environment", "prod", "host.name", "h").getAttributes())
                .containsExactly(Map.entry("deployment.environment", "prod"), Map.entry("host.name", "h"),
                        Map.entry("service.name", "api"));
    }

    @Test
    void seriesKey_sortsPointAttributesByKey() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("route", "/pay");
        attributes.put("method", "POST");

        assertThat(ResourceIdentity.seriesKey("process:h/api", "http.requests", attributes))
                .isEqualTo("process:h/api|http.requests{method=POST,route=/pay}");
        assertThat(ResourceIdentity.seriesKey("service:api", "up", Map.of())).isEqualTo("service:api|up{}");
    }
}
