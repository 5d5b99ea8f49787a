/**
 * JMH benchmarks of the ingest decoders, each next to a bare protobuf parse of the same bytes (the ceiling). Run
 * with {@code mvn -B -pl schemas,ingest test-compile exec:exec@bench -Dexec.skip=true}; see docs/ingest.md.
 */
package io.autonomic.ingest.bench;
