/**
 * The whole pipeline in one JVM: an in-process KRaft broker, the OTLP/HTTP receiver, Flink's MiniCluster running
 * the ingest, enrich and detect jobs, and the action worker. Backs {@code autonomic up} and {@code autonomic demo}.
 */
package io.autonomic.cli.embedded;
