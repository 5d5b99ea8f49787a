package io.autonomic.act.testing;

import io.autonomic.act.process.ProcessControl;
import io.autonomic.schemas.avro.Resource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every restart; fails with the configured message while {@link #failWith} is set. */
public final class TestingProcessControl implements ProcessControl {

    public final List<Resource> restarts = new CopyOnWriteArrayList<>();
    private volatile String failure;

    /** Subsequent restarts throw an exception with this message; null to succeed again. */
    public TestingProcessControl failWith(String message) {
        this.failure = message;
        return this;
    }

    @Override
    public void restart(Resource target) throws Exception {
        restarts.add(target);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    public List<String> restartedIds() {
        return restarts.stream().map(Resource::getId).toList();
    }
}
