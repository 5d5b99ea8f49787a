package io.autonomic.act.aws;

import io.autonomic.act.ActionResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into results the audit trail can explain. By the time an exception reaches here the SDK's
 * retry strategy has already retried what is retryable (throttling, 5xx, connection errors); access denied and
 * not-found answers are never retried.
 */
final class AwsOutcomes {

    static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "ClientException",
            "WAFAccessDeniedException");
    static final Set<String> THROTTLED = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "RequestLimitExceeded", "TooManyRequestsException", "PriorRequestNotComplete", "RequestThrottled",
            "RequestThrottledException", "SlowDown");

    private AwsOutcomes() {
    }

    static ActionResult refused(String action, String reason) {
        return ActionResult.failure("refused " + action + ": " + reason, Map.of("refused", "true"));
    }

    static boolean isAccessDenied(AwsServiceException e) {
        String code = errorCode(e);
        // ECS reports missing IAM permissions as ClientException with an "not authorized" message
        return ACCESS_DENIED.contains(code) && (!code.equals("ClientException") || mentionsAuthorization(e))
                || e.statusCode() == 403;
    }

    private static boolean mentionsAuthorization(AwsServiceException e) {
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return message != null && message.toLowerCase().contains("not authorized");
    }

    static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    static String errorMessage(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : e.awsErrorDetails().errorMessage();
    }

    /** The failure result for an SDK exception thrown by {@code call} on {@code resource}. */
    static ActionResult failure(String action, String resource, SdkException e, int maxAttempts) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("resource", resource);
        if (e instanceof AwsServiceException service) {
            String code = errorCode(service);
            facts.put("errorCode", code);
            facts.put("statusCode", Integer.toString(service.statusCode()));
            if (service.requestId() != null) {
                facts.put("requestId", service.requestId());
            }
            if (isAccessDenied(service)) {
                facts.put("accessDenied", "true");
                return ActionResult.failure(action + " on " + resource + " denied by AWS (" + code
                        + "): the worker's IAM role lacks the permission; not retried: " + errorMessage(service), facts);
            }
            if (THROTTLED.contains(code) || service.isThrottlingException()) {
                facts.put("throttled", "true");
                return ActionResult.failure(action + " on " + resource + " still throttled (" + code + ") after "
                        + maxAttempts + " attempts with backoff", facts);
            }
            return ActionResult.failure(action + " on " + resource + " failed: " + code + ": "
                    + errorMessage(service), facts);
        }
        if (e instanceof SdkClientException) {
            facts.put("clientError", "true");
        }
        return ActionResult.failure(action + " on " + resource + " failed: " + e.getMessage(), facts);
    }
}
