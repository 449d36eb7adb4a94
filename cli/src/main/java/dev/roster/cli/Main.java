package dev.roster.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code roster} command. */
@Command(name = "roster", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Kubernetes service discovery and load balancing, real, on one machine.",
        subcommands = {UpCommand.class, DownCommand.class, ExecCommand.class, DnsCommand.class, ProxyCommand.class, TraceCommand.class, TrainCommand.class})
public final class Main {
    public static void main(String[] args) {
        quietJavaUtilLogging();
        CommandLine cli = new CommandLine(new Main());
        // roster exec NODE iptables -L: everything after the target belongs to the command, dashes included
        cli.getSubcommands().get("exec").setStopAtPositional(true);
        int code = cli
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("roster: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                })
                .execute(args);
        // exit explicitly: server threads must not keep a stopped cluster's JVM alive
        System.exit(code);
    }

    /** Helidon logs through java.util.logging; keep its start-up chatter out of the user's terminal. */
    private static void quietJavaUtilLogging() {
        try (var in = Main.class.getResourceAsStream("/logging.properties")) {
            if (in != null) java.util.logging.LogManager.getLogManager().readConfiguration(in);
        } catch (java.io.IOException e) {
            // keep the JDK defaults
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"roster " + (v == null ? "dev" : v)};
        }
    }
}
