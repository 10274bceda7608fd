package io.natsjvm.server.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Log lines in nats-server's format: {@code [pid] 2026/11/25 03:58:05.123456 [INF] message}
 * (without the time when logtime is off). Writes to stderr, or to a file when configured.
 */
public final class ServerLog {
    private static final LogTime TIME = new LogTime();
    private static volatile ServerLog current = new ServerLog(false, false, true, System.err);

    private final boolean debug;
    private final boolean trace;
    private final boolean logtime;
    private final PrintStream out;
    private final String pid = "[" + ProcessHandle.current().pid() + "] ";

    private ServerLog(boolean debug, boolean trace, boolean logtime, PrintStream out) {
        this.debug = debug;
        this.trace = trace;
        this.logtime = logtime;
        this.out = out;
    }

    private static volatile String file;

    /** Replaces the process-wide logger. */
    public static void configure(boolean debug, boolean trace, boolean logtime, String file) throws IOException {
        PrintStream out = file == null ? System.err
                : new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8);
        ServerLog.file = file;
        current = new ServerLog(debug, trace, logtime, out);
    }

    /**
     * Reopens the log file (SIGUSR1, after a rotation moved it away); the old stream is closed
     * once the new one is in place. Nothing to do when logging to stderr.
     */
    public static void reopen() throws IOException {
        ServerLog old = current;
        if (file == null) {
            return;
        }
        configure(old.debug, old.trace, old.logtime, file);
        old.out.close();
    }

    public static ServerLog get() {
        return current;
    }

    public boolean isDebug() {
        return debug;
    }

    public boolean isTrace() {
        return trace;
    }

    public void info(String fmt, Object... args) {
        write("[INF] ", fmt, args);
    }

    public void warn(String fmt, Object... args) {
        write("[WRN] ", fmt, args);
    }

    public void error(String fmt, Object... args) {
        write("[ERR] ", fmt, args);
    }

    public void fatal(String fmt, Object... args) {
        write("[FTL] ", fmt, args);
    }

    public void debug(String fmt, Object... args) {
        if (debug) {
            write("[DBG] ", fmt, args);
        }
    }

    public void trace(String fmt, Object... args) {
        if (trace) {
            write("[TRC] ", fmt, args);
        }
    }

    private void write(String level, String fmt, Object[] args) {
        String msg = args.length == 0 ? fmt : format(fmt, args);
        StringBuilder sb = new StringBuilder(64 + msg.length()).append(pid);
        if (logtime) {
            TIME.append(sb, Instant.now());
            sb.append(' ');
        }
        sb.append(level).append(msg);
        out.println(sb);
    }

    /**
     * {@code String.format} for the {@code %s}, {@code %d} and {@code %%} the server's log lines
     * use, without a {@link java.util.Formatter} per line: a cold Formatter (locale lookups,
     * decimal symbols) was a tenth of a CLAIMS.UPDATE's time on the system thread. Anything
     * else (widths, precisions, other conversions) goes to {@code String.format}.
     */
    static String format(String fmt, Object[] args) {
        StringBuilder sb = new StringBuilder(fmt.length() + 16 * args.length);
        int next = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            char conv = i + 1 < fmt.length() ? fmt.charAt(i + 1) : 0;
            if (conv == '%') {
                sb.append('%');
            } else if ((conv == 's' || conv == 'd') && next < args.length
                    && (conv == 's' || args[next] instanceof Long || args[next] instanceof Integer)) {
                sb.append(args[next++]);
            } else {
                return String.format(fmt, args);
            }
            i++;
        }
        return sb.toString();
    }
}
