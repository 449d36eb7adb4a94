package dev.roster.bench;

import java.util.List;

/**
 * A scenario group of {@link ApiBench}: runs on one fresh pair of servers, roster first and then
 * the peer, and writes its rows into the run's report with the run's settings.
 */
abstract class PairScenario {
    protected final List<Api> servers; // roster first, then the peer
    protected final Report report;
    protected final Settings s;

    PairScenario(List<Api> servers, Report report, Settings settings) {
        this.servers = servers;
        this.report = report;
        this.s = settings;
    }
}
