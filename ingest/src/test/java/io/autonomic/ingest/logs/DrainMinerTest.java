package io.autonomic.ingest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DrainMinerTest {

    @Test
    void add_sameShapeDifferentVariables_sharesTemplateAndExtractsParameters() {
        DrainMiner miner = new DrainMiner(MinerConfig.DEFAULT);
        DrainMiner.Match first = miner.add("Connected to db-1 in 35 ms from 10.0.0.1:5432");
        DrainMiner.Match second = miner.add("Connected to db-2 in 48 ms from 10.0.0.7:5432");

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.templateId()).isEqualTo(first.templateId());
        assertThat(second.template()).isEqualTo("Connected to <*> in <*> ms from <*>");
        assertThat(second.parameters()).containsExactly("db-2", "48", "10.0.0.7:5432");
    }

    @Test
    void add_differentMessages_separateTemplates() {
        DrainMiner miner = new DrainMiner(MinerConfig.DEFAULT);
        String a = miner.add("user alice logged in").templateId();
        String b = miner.add("disk /var/lib/data is full").templateId();
        assertThat(a).isNotEqualTo(b);
        assertThat(miner.templateCount()).isEqualTo(2);
    }

    @Test
    void toBytes_roundTrip_keepsIdsAndMatching() {
        DrainMiner miner = new DrainMiner(MinerConfig.DEFAULT);
        String id = miner.add("Started worker 7 on host a").templateId();
        miner.add("Started worker 9 on host b");
        miner.add("Stopping everything now");

        DrainMiner restored = DrainMiner.fromBytes(MinerConfig.DEFAULT, miner.toBytes());

        assertThat(restored.templates()).isEqualTo(miner.templates());
        assertThat(restored.add("Started worker 12 on host c").templateId()).isEqualTo(id);
        assertThat(restored.templateCount()).isEqualTo(2);
    }

    @Test
    void add_capReached_reportsOverflow() {
        DrainMiner miner = new DrainMiner(MinerConfig.DEFAULT.withMaxTemplates(1));
        miner.add("alpha beta gamma");
        DrainMiner.Match overflow = miner.add("something else entirely different");
        assertThat(overflow.templateId()).isEqualTo(DrainMiner.OVERFLOW_ID);
        assertThat(miner.templateCount()).isEqualTo(1);
    }

    @Test
    void add_emptyMessage_hasATemplate() {
        DrainMiner miner = new DrainMiner(MinerConfig.DEFAULT);
        String id = miner.add("   ").templateId();
        assertThat(miner.add("").templateId()).isEqualTo(id);
    }
}
