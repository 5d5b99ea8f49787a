package io.autonomic.act.process;

import io.autonomic.schemas.avro.Resource;

/**
 * Restarts the process behind a resource. Implementations decide what "restart" means on their platform: a
 * configured {@code systemctl} argv ({@link CommandProcessControl}), a demo child process in the cli, a fake in
 * tests. Throwing means the restart did not happen or its success is unknown.
 */
public interface ProcessControl {

    void restart(Resource target) throws Exception;
}
