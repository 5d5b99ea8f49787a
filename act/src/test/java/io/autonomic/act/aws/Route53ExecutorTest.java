package io.autonomic.act.aws;

import static io.autonomic.act.aws.FakeAwsEndpoint.queryError;
import static io.autonomic.act.aws.FakeAwsEndpoint.request;
import static io.autonomic.act.aws.FakeAwsEndpoint.xml;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.ActionResult;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Route53ExecutorTest {

    private static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final Map<String, String> SHIFT_AWAY_FROM_EAST = Map.of("hosted-zone-id", "Z0123456789ABC",
            "record-name", "api.example.com", "record-type", "A", "weight.east", "0", "weight.west", "100");

    private FakeAwsEndpoint aws;
    private AwsClients clients;
    private Route53Executor executor;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAwsEndpoint();
        clients = aws.clients();
        executor = new Route53Executor(clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    private static String record(String setId, int weight, String value) {
        return "<ResourceRecordSet><Name>api.example.com.</Name><Type>A</Type><SetIdentifier>" + setId
                + "</SetIdentifier><Weight>" + weight + "</Weight><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>"
                + value + "</Value></ResourceRecord></ResourceRecords><HealthCheckId>hc-" + setId
                + "</HealthCheckId></ResourceRecordSet>";
    }

    private static FakeAwsEndpoint.Reply listed(int east, int west) {
        return xml(200, "<ListResourceRecordSetsResponse xmlns=\"" + NS + "\"><ResourceRecordSets>"
                + record("east", east, "10.0.0.1") + record("west", west, "10.1.0.1")
                + "<ResourceRecordSet><Name>www.example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords>"
                + "<ResourceRecord><Value>10.2.0.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
                + "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>300</MaxItems>"
                + "</ListResourceRecordSetsResponse>");
    }

    private static final FakeAwsEndpoint.Reply CHANGED = xml(200, "<ChangeResourceRecordSetsResponse xmlns=\"" + NS
            + "\"><ChangeInfo><Id>/change/C0123</Id><Status>PENDING</Status><SubmittedAt>2025-03-01T10:00:00Z"
            + "</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>");

    @Test
    void shiftWeight_upsertsTheNamedRecordsKeepingEverythingButTheWeight() {
        aws.enqueue(listed(50, 50), CHANGED);

        ActionResult result = executor.execute(request(Route53Executor.SHIFT_WEIGHT, "service:api", ResourceKind.SERVICE,
                SHIFT_AWAY_FROM_EAST));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("changeId", "C0123").containsEntry("weight.east", "0");
        FakeAwsEndpoint.Recorded list = aws.requests().get(0);
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.path()).isEqualTo("/2013-04-01/hostedzone/Z0123456789ABC/rrset");
        assertThat(list.query()).contains("name=api.example.com.").contains("type=A");
        FakeAwsEndpoint.Recorded change = aws.requests().get(1);
        assertThat(change.method()).isEqualTo("POST");
        assertThat(change.path()).isEqualTo("/2013-04-01/hostedzone/Z0123456789ABC/rrset/");
        String body = change.body().replaceAll(">\\s+<", "><");
        assertThat(body).contains("<ChangeResourceRecordSetsRequest xmlns=\"" + NS + "\">")
                .contains("<Comment>autonomic inc-42/playbook/0</Comment>")
                .contains("<Change><Action>UPSERT</Action><ResourceRecordSet><Name>api.example.com.</Name><Type>A</Type>"
                        + "<SetIdentifier>east</SetIdentifier><Weight>0</Weight><TTL>60</TTL><ResourceRecords>"
                        + "<ResourceRecord><Value>10.0.0.1</Value></ResourceRecord></ResourceRecords>"
                        + "<HealthCheckId>hc-east</HealthCheckId></ResourceRecordSet></Change>")
                .contains("<SetIdentifier>west</SetIdentifier><Weight>100</Weight>")
                .doesNotContain("www.example.com");
    }

    @Test
    void shiftWeight_weightsAlreadyApplied_noChangeCall() {
        aws.enqueue(listed(0, 100));

        ActionResult result = executor.execute(request(Route53Executor.SHIFT_WEIGHT, "service:api", ResourceKind.SERVICE,
                SHIFT_AWAY_FROM_EAST));

        assertThat(result.success()).isTrue();
        assertThat(result.attributes()).containsEntry("alreadyApplied", "true");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void shiftWeight_unknownSetIdentifier_failsWithoutChange() {
        aws.enqueue(listed(50, 50));

        ActionResult result = executor.execute(request(Route53Executor.SHIFT_WEIGHT, "service:api", ResourceKind.SERVICE,
                Map.of("hosted-zone-id", "Z0123456789ABC", "record-name", "api.example.com", "record-type", "A",
                        "weight.north", "10")));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("'north'").contains("[east, west]");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void shiftWeight_throttledThenOk_retried() {
        aws.enqueue(queryError(400, NS, "Throttling", "Rate exceeded"), listed(50, 50), CHANGED);

        ActionResult result = executor.execute(request(Route53Executor.SHIFT_WEIGHT, "service:api", ResourceKind.SERVICE,
                SHIFT_AWAY_FROM_EAST));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(aws.requests()).hasSize(3);
    }

    @Test
    void shiftWeight_noSuchHostedZone_failsNamingTheError() {
        aws.enqueue(queryError(404, NS, "NoSuchHostedZone", "No hosted zone found with ID: Z0123456789ABC"));

        ActionResult result = executor.execute(request(Route53Executor.SHIFT_WEIGHT, "service:api", ResourceKind.SERVICE,
                SHIFT_AWAY_FROM_EAST));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("errorCode", "NoSuchHostedZone");
    }

    @Test
    void shiftWeight_badZoneOrWeight_refusedWithoutCall() {
        ActionResult badZone = executor.execute(request(Route53Executor.SHIFT_WEIGHT, "service:api", ResourceKind.SERVICE,
                Map.of("hosted-zone-id", "z/../x", "record-name", "api.example.com", "record-type", "A",
                        "weight.east", "0")));
        ActionResult badWeight = executor.execute(request(Route53Executor.SHIFT_WEIGHT, "service:api",
                ResourceKind.SERVICE, Map.of("hosted-zone-id", "Z0123456789ABC", "record-name", "api.example.com",
                        "record-type", "A", "weight.east", "256")));

        assertThat(badZone.detail()).contains("hosted zone id");
        assertThat(badWeight.detail()).contains("weight.east");
        assertThat(aws.requests()).isEmpty();
    }
}
