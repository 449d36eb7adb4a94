package dev.roster.controllers.testing;

import static org.awaitility.Awaitility.await;

import dev.roster.controllers.ControllerManager;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that run the whole controller manager against a real in-process API server: each test gets
 * a fresh {@link ApiWorld} with the given namespaces and a started {@link ControllerManager}, both closed after it.
 *
 * <p>A test begins once every controller runs: these tests are about steady state, and start-up work would race
 * their first writes (the Endpoints controller's sweep of leftovers, like upstream's, deletes an Endpoints that a test
 * created just before its Service if the sweep falls between the two).
 */
public abstract class WithControllers {
    /** Start-up takes a second or two; far longer on a loaded CI machine. */
    private static final Duration START = Duration.ofSeconds(60);

    private final String[] namespaces;
    protected ApiWorld world;
    protected ControllerManager manager;

    protected WithControllers(String... namespaces) {
        this.namespaces = namespaces.clone();
    }

    @BeforeEach
    void startWorldAndControllers() {
        world = new ApiWorld();
        for (String ns : namespaces) world.namespace(ns);
        startControllers();
    }

    @AfterEach
    void stopControllersAndWorld() {
        manager.close();
        world.close();
    }

    /** Stops the controller manager and starts a new one, as a restart of kube-controller-manager would. */
    protected void restartControllers() {
        manager.close();
        startControllers();
    }

    private void startControllers() {
        manager = new ControllerManager().start(world.client);
        await().atMost(START).until(manager::hasStarted);
    }
}
