package io.autonomic.ingest.traces;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** The records that flow and sit in state between operators are Flink POJOs, not Kryo-serialized generic types. */
class TypeInfoTest {

    @Test
    void typeInformation_flowingAndStateTypes_arePojosWithoutGenericFields() {
        for (Class<?> type : new Class<?>[] {SpanSample.class, RedAccumulator.class, LatencyHistogram.class, EdgeUpdate.class}) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
            for (int i = 0; i < pojo.getArity(); i++) {
                assertThat(pojo.getTypeAt(i)).as(type.getSimpleName() + "." + pojo.getPojoFieldAt(i).getField().getName())
                        .isNotInstanceOf(GenericTypeInfo.class);
            }
        }
    }
}
