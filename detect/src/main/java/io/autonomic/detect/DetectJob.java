package io.autonomic.detect;

import io.autonomic.detect.config.CommandSigning;
import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.diagnosis.ClassifierDiagnoser;
import io.autonomic.detect.incident.Diagnoser;
import io.autonomic.detect.incident.IncidentCorrelator;
import io.autonomic.detect.incident.PlaybookCatalog;
import io.autonomic.detect.incident.ResourceIncidentFunction;
import io.autonomic.detect.model.LiveModelRegistry;
import io.autonomic.detect.model.ModelReleaseSource;
import io.autonomic.detect.model.ResourceModelScoringFunction;
import io.autonomic.detect.model.SeriesForecastFunction;
import io.autonomic.detect.scoring.ScoredPoint;
import io.autonomic.detect.scoring.SeriesScoringFunction;
import io.autonomic.detect.threat.SourceSurgeFunction;
import io.autonomic.detect.threat.SourceSurgeSettings;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.DecodeAvroFunction;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Wiring of the detect job: enriched topic, decode (bad records to dead letters), event time from the point
 * timestamps, per-series scoring keyed by series key, model scoring per resource and failure forecasts per
 * utilization series (models from the models topic, swapped while running), per-resource incidents keyed by resource
 * id, correlation of related resources' incidents keyed by environment (unless {@code incident.correlate} is off),
 * and the sinks
 * (anomalies, incidents, health keyed by resource id; commands keyed by target resource id, so one resource's
 * commands stay ordered in one partition).
 */
public final class DetectJob {

    public static final String JOB_NAME = "detect";

    public static final Option<Path> CONFIG = Option.path("config", null,
            "detect configuration YAML (rules, playbooks, incident, detector); the built-in default when not given");
    public static final Option<Duration> STATE_TTL = Option.duration("state-ttl",
            SeriesScoringFunction.DEFAULT_STATE_TTL, "how long a series' detector state survives without points");
    public static final Option<Duration> MAX_OUT_OF_ORDERNESS = Option.duration("max-out-of-orderness",
            Duration.ofSeconds(1), "how late a point may arrive and still be grouped in event time");
    public static final Option<Path> MODELS_DIR = Option.path("models-dir", null,
            "directory of model releases written by train, live until the models topic replaces or withdraws them");
    public static final Option<Duration> MODEL_SCORE_INTERVAL = Option.duration("model-score-interval",
            ResourceModelScoringFunction.DEFAULT_SCORE_INTERVAL,
            "score a resource with its model at most once per this much event time");
    public static final Option<Duration> IDLE_TIMEOUT = Option.duration("idle-timeout", Duration.ofSeconds(5),
            "after this long without points a source partition no longer holds back event time");

    private DetectJob() {
    }

    public static List<Option<?>> options() {
        List<Option<?>> all = new ArrayList<>(PipelineOptions.ALL);
        all.addAll(List.of(CONFIG, STATE_TTL, MAX_OUT_OF_ORDERNESS, IDLE_TIMEOUT, CommandSigning.SIGNING_KEY_FILE,
                MODELS_DIR, MODEL_SCORE_INTERVAL));
        return List.copyOf(all);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, options(), List.of(PipelineOptions.TOPIC_PREFIX));
        DetectConfig config = DetectConfig.loadOrDefault(options.get(CONFIG));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KafkaIO.configureCheckpointing(env, options);
        build(env, options, config);
        env.execute("autonomic-" + JOB_NAME);
    }

    /** Builds the job with the configuration named by {@link #CONFIG}, or the default one. */
    public static void build(StreamExecutionEnvironment env, Options options) {
        build(env, options, DetectConfig.loadOrDefault(options.get(CONFIG)));
    }

    public static void build(StreamExecutionEnvironment env, Options options, DetectConfig config) {
        Topics topics = PipelineOptions.topics(options);
        KafkaIO kafka = new KafkaIO(options, JOB_NAME);

        DataStream<KafkaRecord> records = env
                .fromSource(kafka.source(topics.enrichedPoints()), WatermarkStrategy.noWatermarks(), "enriched-source")
                .uid("detect-enriched-source");
        SingleOutputStreamOperator<EnrichedPoint> decoded = records
                .process(new DecodeAvroFunction<>(EnrichedPoint.class, JOB_NAME))
                .name("decode-enriched").uid("detect-decode-enriched");
        SingleOutputStreamOperator<EnrichedPoint> timed = decoded
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<EnrichedPoint>forBoundedOutOfOrderness(options.get(MAX_OUT_OF_ORDERNESS))
                        .withTimestampAssigner((point, previous) -> point.getPoint().getTimestampMillis())
                        .withIdleness(options.get(IDLE_TIMEOUT)))
                .name("event-time").uid("detect-event-time");

        // Per-source request counts are judged together per service (DDoS or flash crowd), not as series each.
        DataStream<Anomaly> sourceSurges = timed.filter(SourceSurgeFunction::isBySourceCount)
                .name("by-source-counts").uid("detect-by-source-counts")
                .keyBy(SourceSurgeFunction.KEY, Types.STRING)
                .process(new SourceSurgeFunction(SourceSurgeSettings.DEFAULT))
                .name("source-surges").uid("detect-source-surges");
        SingleOutputStreamOperator<ScoredPoint> scored = timed
                .filter(point -> !SourceSurgeFunction.isBySourceCount(point))
                .name("series-points").uid("detect-series-points")
                .keyBy(point -> point.getPoint().getSeriesKey(), Types.STRING)
                .process(new SeriesScoringFunction(config, options.get(STATE_TTL)))
                .name("score-series").uid("detect-score-series");
        // One reader of the models topic; forecast releases (by key) go to the series forecasts, the others to the
        // resource models, so each record, bad ones included, has one consumer that answers for it.
        List<ModelRelease> initialModels = ModelReleaseSource.initial(options.get(MODELS_DIR), MODELS_DIR.name());
        DataStream<KafkaRecord> modelReleases = env.fromSource(ModelReleaseSource.kafka(options, topics.models(),
                        JOB_NAME), WatermarkStrategy.noWatermarks(), "models-source").uid("detect-models-source")
                .setParallelism(1);
        SingleOutputStreamOperator<Anomaly> modelAnomalies = timed
                .keyBy(point -> point.getPoint().getResource().getId(), Types.STRING)
                .connect(modelReleases.filter(record -> !SeriesForecastFunction.isForecastRelease(record))
                        .name("resource-model-releases").uid("detect-resource-model-releases").setParallelism(1)
                        .broadcast(ResourceModelScoringFunction.RELEASES, ResourceModelScoringFunction.WITHDRAWN))
                .process(new ResourceModelScoringFunction(LiveModelRegistry.defaults(), initialModels,
                        options.get(STATE_TTL), options.get(MODEL_SCORE_INTERVAL),
                        ResourceModelScoringFunction.DEFAULT_SIGNAL_MAX_AGE))
                .name("score-resource-models").uid("detect-score-resource-models");
        SeriesForecastFunction seriesForecast = new SeriesForecastFunction(initialModels, options.get(STATE_TTL));
        SingleOutputStreamOperator<Anomaly> forecastAnomalies = timed
                .filter(seriesForecast.utilizationGauges())
                .name("utilization-gauges").uid("detect-utilization-gauges")
                .keyBy(point -> point.getPoint().getSeriesKey(), Types.STRING)
                .connect(modelReleases.filter(SeriesForecastFunction::isForecastRelease)
                        .name("forecast-releases").uid("detect-forecast-releases").setParallelism(1)
                        .broadcast(ResourceModelScoringFunction.RELEASES, ResourceModelScoringFunction.WITHDRAWN))
                .process(seriesForecast)
                .name("forecast-series").uid("detect-forecast-series");

        // Anomalies judged per resource or per service, and forecasts, are evidence for incidents like the
        // per-series ones. The model operators' own watermarks are held back by their models input (control data,
        // no event time), so their anomalies get event time anew, idle between anomalies so they never hold back
        // the incidents' clock.
        DataStream<Anomaly> timedModelAnomalies = modelAnomalies.union(forecastAnomalies)
                .assignTimestampsAndWatermarks(ScoredPoint.anomalyEventTime(options.get(MAX_OUT_OF_ORDERNESS),
                        options.get(IDLE_TIMEOUT)))
                .name("model-anomalies-event-time").uid("detect-model-anomalies-event-time");
        DataStream<ScoredPoint> evidence = scored.union(timedModelAnomalies.union(sourceSurges)
                .map(ScoredPoint::ofAnomaly).returns(ScoredPoint.class)
                .name("anomalies-as-evidence").uid("detect-anomalies-as-evidence"));
        byte[] signingKey = CommandSigning.readKey(options);
        Diagnoser diagnoser = ClassifierDiagnoser.fromModelsDirOrSeed(options.get(MODELS_DIR))
                .withMinConfidence(config.incident().minConfidence());
        SingleOutputStreamOperator<Incident> resourceIncidents = evidence
                .keyBy(ScoredPoint::resourceId, Types.STRING)
                .process(config.incident().correlate()
                        ? ResourceIncidentFunction.signalsForCorrelation(config.incident())
                        : new ResourceIncidentFunction(config.incident(), new PlaybookCatalog(config.playbooks()),
                                diagnoser, signingKey))
                .name("group-incidents").uid("detect-group-incidents");

        DataStream<ResourceHealth> health = resourceIncidents.getSideOutput(ResourceIncidentFunction.HEALTH);
        DataStream<DeadLetter> deadLetters = decoded.getSideOutput(DeadLetters.TAG)
                .union(scored.getSideOutput(DeadLetters.TAG), resourceIncidents.getSideOutput(DeadLetters.TAG),
                        modelAnomalies.getSideOutput(DeadLetters.TAG),
                        forecastAnomalies.getSideOutput(DeadLetters.TAG));

        DataStream<Incident> incidents = resourceIncidents;
        DataStream<RemediationCommand> commands = resourceIncidents.getSideOutput(ResourceIncidentFunction.COMMANDS);
        if (config.incident().correlate()) {
            SingleOutputStreamOperator<Incident> correlated = resourceIncidents
                    .keyBy(IncidentCorrelator::scope, Types.STRING)
                    .process(new IncidentCorrelator(config.incident(), new PlaybookCatalog(config.playbooks()),
                            diagnoser, signingKey))
                    .name("correlate-incidents").uid("detect-correlate-incidents");
            incidents = correlated;
            commands = correlated.getSideOutput(IncidentCorrelator.COMMANDS);
            deadLetters = deadLetters.union(correlated.getSideOutput(DeadLetters.TAG));
        }
        DataStream<Anomaly> anomalies = scored.getSideOutput(SeriesScoringFunction.ANOMALIES)
                .union(modelAnomalies, forecastAnomalies, sourceSurges);

        anomalies.sinkTo(kafka.sink(topics.anomalies(), Anomaly.class, a -> a.getResource().getId()))
                .name("anomalies-sink").uid("detect-anomalies-sink");
        incidents.sinkTo(kafka.sink(topics.incidents(), Incident.class, i -> i.getResource().getId()))
                .name("incidents-sink").uid("detect-incidents-sink");
        commands.sinkTo(kafka.sink(topics.commands(), RemediationCommand.class, c -> c.getTarget().getId()))
                .name("commands-sink").uid("detect-commands-sink");
        health.sinkTo(kafka.sink(topics.health(), ResourceHealth.class, h -> h.getResource().getId()))
                .name("health-sink").uid("detect-health-sink");
        deadLetters.sinkTo(kafka.deadLetterSink(topics.deadLetters()))
                .name("dead-letters-sink").uid("detect-dead-letters-sink");
    }
}
