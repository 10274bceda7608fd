package io.natsjvm.tools;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** scripts/events: tails the system account's event stream as readable lines. */
public final class Events {
    static final List<String> SUBJECTS = List.of("$SYS.ACCOUNT.*.CONNECT", "$SYS.ACCOUNT.*.DISCONNECT",
            "$SYS.ACCOUNT.*.LEAFNODE.CONNECT", "$SYS.ACCOUNT.*.LEAFNODE.DISCONNECT", "$SYS.SERVER.*.CLIENT.AUTH.ERR", "$SYS.ACCOUNT.*.SERVER.CONNS", "$SYS.SERVER.*.STATSZ",
            "$SYS.SERVER.*.SHUTDOWN");

    private Events() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, new CountDownLatch(1)));
    }

    /** Runs until {@code stop} is released (or forever from main). */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) throws Exception {
        ToolOptions o = ToolOptions.parseOrReport(args, err);
        if (o == null) {
            return 2;
        }
        boolean withStats = !o.rest.contains("--no-statsz");
        if (o.help) {
            out.print(ToolOptions.usage("events [--no-statsz]",
                    "Tails connects, disconnects, auth errors, account connection counts and server stats."));
            return 0;
        }
        try (Connection nc = Nats.connect(o.natsOptions())) {
            Dispatcher d = nc.createDispatcher(m -> {
                synchronized (out) {
                    out.println(EventFormatter.format(m.getSubject(), m.getData()));
                    out.flush();
                }
            });
            for (String s : SUBJECTS) {
                if (withStats || !s.endsWith("STATSZ")) {
                    d.subscribe(s);
                }
            }
            nc.flush(Duration.ofSeconds(5));
            err.println("Listening on " + o.server + " for system events (Ctrl-C to stop)");
            stop.await();
        } catch (IOException e) {
            err.println("cannot connect to " + o.server + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
