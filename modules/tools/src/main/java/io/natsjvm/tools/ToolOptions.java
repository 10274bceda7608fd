package io.natsjvm.tools;
import io.nats.client.Options;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Connection flags shared by the monitoring tools: a server URL and system-account
 * credentials, either user/password or an nsc-style .creds file.
 */
final class ToolOptions {
    String server = "nats://127.0.0.1:4222";
    String user;
    String password;
    String creds;
    Duration wait = Duration.ofSeconds(1);
    boolean help;
    final List<String> rest = new ArrayList<>();

    static ToolOptions parse(String[] args) {
        ToolOptions o = new ToolOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-s", "--server" -> o.server = value(args, ++i, a);
                case "--user" -> o.user = value(args, ++i, a);
                case "--password", "--pass" -> o.password = value(args, ++i, a);
                case "--creds" -> o.creds = value(args, ++i, a);
                case "--wait" -> o.wait = Duration.ofMillis(Long.parseLong(value(args, ++i, a)));
                case "-h", "--help" -> o.help = true;
                default -> o.rest.add(a);
            }
        }
        return o;
    }

    /** Parses, or reports the problem on {@code err} and returns null (exit status 2). */
    static ToolOptions parseOrReport(String[] args, PrintStream err) {
        try {
            return parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return null;
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    static String usage(String tool, String what) {
        return "usage: scripts/" + tool + " [-s nats://host:port] [--user U --password P | --creds FILE]\n"
                + "  " + what + "\n"
                + "  Credentials must be a system-account user (system_account in the server config).\n";
    }

    Options natsOptions() throws Exception {
        Options.Builder b = new Options.Builder().server(server).connectionName("nats-jvm-tools")
                .maxReconnects(-1).connectionTimeout(Duration.ofSeconds(5));
        if (creds != null) {
            if (!Files.isReadable(Path.of(creds))) {
                throw new IllegalArgumentException("cannot read creds file " + creds);
            }
            b.authHandler(io.nats.client.Nats.credentials(creds));
        } else if (user != null) {
            b.userInfo(user, password == null ? "" : password);
        }
        return b.build();
    }
}
