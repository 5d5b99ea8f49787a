package io.autonomic.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.avro.ControlSignal;
import io.autonomic.schemas.avro.ResourceHealth;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<ControlSignal> serde = AvroSerde.of(ControlSignal.class);

    @Test
    void encode_decode_roundTrips() {
        ControlSignal signal = ControlSignal.newBuilder().setName("kill-switch").setEnabled(true).setActor("alice")
                .setReason("incident review").setAtMillis(1_700_000_000_000L).build();
        assertThat(serde.decode(serde.encode(signal))).isEqualTo(signal);
    }

    @Test
    void decode_nullIsTombstone() {
        assertThat(serde.decode(null)).isNull();
        assertThat(serde.encode(null)).isNull();
    }

    @Test
    void decode_recordOfAnotherSchema_failsWithReadableReason() {
        byte[] otherSchema = AvroSerde.of(ResourceHealth.class).encode(null);
        assertThat(otherSchema).isNull();
        byte[] garbage = {1, 2, 3, 4, 5};
        assertThatThrownBy(() -> serde.decode(garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not a ControlSignal record");
    }
}
