package dev.roster.proxy.live;

import dev.roster.runtime.net.ExecResult;
import dev.roster.runtime.net.CommandFailedException;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A backend that applies nothing: it records each sync's inputs and can be told to fail the next one. */
final class RecordingBackend implements RulesBackend {
    record Call(boolean full, Set<ServiceName> changed, ProxyState state) {}

    final List<Call> calls = new ArrayList<>();
    boolean failNext;

    @Override
    public String mode() {
        return "iptables";
    }

    @Override
    public AppliedSync sync(ProxyState state, Set<ServiceName> changed, boolean fullSync) {
        calls.add(new Call(fullSync, new TreeSet<>(changed), state));
        if (failNext) {
            failNext = false;
            throw new CommandFailedException(List.of("iptables-restore"), new ExecResult(1, "", "iptables-restore: line 7 failed"));
        }
        return new AppliedSync(fullSync, "", List.of(), List.of(), 3, 10, 10, 0, 0, System.nanoTime(), System.nanoTime());
    }

    @Override
    public void cleanup() {}

    @Override
    public String rulesOf(ServiceName service) {
        return "";
    }

    Call last() {
        return calls.getLast();
    }
}
