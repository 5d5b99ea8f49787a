package io.autonomic.act.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

/**
 * Builds the SDK clients every AWS executor uses, all configured alike: credentials and region from the SDK's
 * standard chains unless given, an optional endpoint override (LocalStack or a test endpoint), the SDK's
 * standard retry strategy (throttling and transient errors are retried with exponential backoff and jitter, then
 * surface as an exception), and the JDK's URL connection as HTTP client so no Netty or Apache client is loaded.
 * Clients are created on first use and share one HTTP client; {@link #close()} closes them all.
 */
public final class AwsClients implements AutoCloseable {

    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(100);
    public static final Duration DEFAULT_THROTTLING_BASE_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Settings settings;
    private final SdkHttpClient httpClient;
    private SsmClient ssm;
    private EcsClient ecs;
    private AutoScalingClient autoScaling;
    private Ec2Client ec2;
    private LambdaClient lambda;
    private Route53Client route53;
    private Wafv2Client wafv2;

    /**
     * How the clients are built.
     *
     * @param region null for the SDK's region chain (AWS_REGION, profile, instance metadata)
     * @param credentials null for the SDK's default credential chain
     * @param endpointOverride null for the real AWS endpoints
     * @param maxAttempts attempts per call including the first, at least 1
     * @param baseDelay backoff base for transient errors
     * @param throttlingBaseDelay backoff base after a throttling answer
     */
    public record Settings(Region region, AwsCredentialsProvider credentials, URI endpointOverride, int maxAttempts,
            Duration baseDelay, Duration throttlingBaseDelay) {
        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            Objects.requireNonNull(baseDelay, "baseDelay");
            Objects.requireNonNull(throttlingBaseDelay, "throttlingBaseDelay");
            if (endpointOverride != null && (endpointOverride.getScheme() == null || endpointOverride.getHost() == null)) {
                throw new IllegalArgumentException("endpoint override must be an absolute URL: " + endpointOverride);
            }
        }

        public static Settings defaults() {
            return new Settings(null, null, null, DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY,
                    DEFAULT_THROTTLING_BASE_DELAY);
        }
    }

    public AwsClients(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.httpClient = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    public Settings settings() {
        return settings;
    }

    private <B extends AwsClientBuilder<B, C>, C> C build(B builder) {
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .backoffStrategy(BackoffStrategy.exponentialDelay(settings.baseDelay(), Duration.ofSeconds(20)))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(settings.throttlingBaseDelay(),
                                Duration.ofSeconds(20)))
                        .build())
                .apiCallTimeout(DEFAULT_API_CALL_TIMEOUT)
                .build());
        if (settings.region() != null) {
            builder.region(settings.region());
        }
        builder.credentialsProvider(settings.credentials() != null ? settings.credentials()
                : DefaultCredentialsProvider.builder().build());
        if (settings.endpointOverride() != null) {
            builder.endpointOverride(settings.endpointOverride());
        }
        return builder.build();
    }

    public synchronized SsmClient ssm() {
        if (ssm == null) {
            ssm = build(SsmClient.builder().httpClient(httpClient));
        }
        return ssm;
    }

    public synchronized EcsClient ecs() {
        if (ecs == null) {
            ecs = build(EcsClient.builder().httpClient(httpClient));
        }
        return ecs;
    }

    public synchronized AutoScalingClient autoScaling() {
        if (autoScaling == null) {
            autoScaling = build(AutoScalingClient.builder().httpClient(httpClient));
        }
        return autoScaling;
    }

    public synchronized Ec2Client ec2() {
        if (ec2 == null) {
            ec2 = build(Ec2Client.builder().httpClient(httpClient));
        }
        return ec2;
    }

    public synchronized LambdaClient lambda() {
        if (lambda == null) {
            lambda = build(LambdaClient.builder().httpClient(httpClient));
        }
        return lambda;
    }

    public synchronized Route53Client route53() {
        if (route53 == null) {
            // Route 53 is a global service: without an explicit region the SDK signs for aws-global
            var builder = Route53Client.builder().httpClient(httpClient);
            if (settings.region() == null) {
                builder.region(Region.AWS_GLOBAL);
            }
            route53 = build(builder);
        }
        return route53;
    }

    public synchronized Wafv2Client wafv2() {
        if (wafv2 == null) {
            wafv2 = build(Wafv2Client.builder().httpClient(httpClient));
        }
        return wafv2;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable client : new AutoCloseable[] {ssm, ecs, autoScaling, ec2, lambda, route53, wafv2}) {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // closing is best effort; nothing is pending on a synchronous client
                }
            }
        }
        httpClient.close();
    }
}
