package dev.roster.controllers.testing;

import dev.roster.controllers.ControllerManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that run the whole controller manager against a real in-process API server: each test gets
 * a fresh {@link ApiWorld} with the given namespaces and a started {@link ControllerManager}, both closed after it.
 */
public abstract class WithControllers {
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
        manager = new ControllerManager().start(world.client);
    }

    @AfterEach
    void stopControllersAndWorld() {
        manager.close();
        world.close();
    }

    /** Stops the controller manager and starts a new one, as a restart of kube-controller-manager would. */
    protected void restartControllers() {
        manager.close();
        manager = new ControllerManager().start(world.client);
    }
}
