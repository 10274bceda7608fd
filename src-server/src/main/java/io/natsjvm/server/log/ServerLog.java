package io.natsjvm.server.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * Log lines in nats-server's format: {@code [pid] 2026/11/25 03:58:05.123456 [INF] message}
 * (without the time when logtime is off). Writes to stderr, or to a file when configured.
 */
public final class ServerLog {
    private static final LogTime TIME = new LogTime();
    private static volatile ServerLog current = new ServerLog(false, false, true, System.err, 0, 0);

    private final boolean debug;
    private final boolean trace;
    private final boolean logtime;
    /** Where lines go; replaced by a rotation (guarded by this when rotating). */
    private volatile PrintStream out;
    private final String pid = "[" + ProcessHandle.current().pid() + "] ";
    /** {@code logfile_size_limit}: the log file is rotated once it grows past this (0: never). */
    private final long sizeLimit;
    /** Bytes in the current log file (guarded by this; only counted with a size limit). */
    private long written;

    private ServerLog(boolean debug, boolean trace, boolean logtime, PrintStream out, long sizeLimit, long written) {
        this.debug = debug;
        this.trace = trace;
        this.logtime = logtime;
        this.out = out;
        this.sizeLimit = sizeLimit;
        this.written = written;
    }

    private static volatile String file;

    /** Replaces the process-wide logger. */
    public static void configure(boolean debug, boolean trace, boolean logtime, String file) throws IOException {
        configure(debug, trace, logtime, file, 0);
    }

    /**
     * Replaces the process-wide logger.
     *
     * @param sizeLimit with a file: rotate it past this many bytes, as the reference does (the
     *                  old file kept as {@code <file>.YYYY.MM.DD.hh.mm.ss.nnnnnnnnn}); 0 never
     */
    public static void configure(boolean debug, boolean trace, boolean logtime, String file, long sizeLimit)
            throws IOException {
        PrintStream out = file == null ? System.err : open(file);
        ServerLog.file = file;
        long size = file == null ? 0 : Files.size(Path.of(file));
        ServerLog next = new ServerLog(debug, trace, logtime, out, file == null ? 0 : sizeLimit, size);
        current = next;
        if (next.sizeLimit > 0 && size > next.sizeLimit) {
            next.info("Rotating logfile...");
        }
    }

    private static PrintStream open(String file) throws IOException {
        return new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8);
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
        configure(old.debug, old.trace, old.logtime, file, old.sizeLimit);
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
        if (sizeLimit <= 0) {
            out.println(sb);
            return;
        }
        String line = sb.append(System.lineSeparator()).toString();
        synchronized (this) {
            out.print(line);
            written += line.getBytes(StandardCharsets.UTF_8).length;
            if (written > sizeLimit) {
                rotate();
            }
        }
    }

    /** Moves the full log file aside and starts a new one that says where the old one went. */
    private void rotate() {
        String name = file;
        LocalDateTime now = LocalDateTime.now();
        String backup = name + String.format(".%04d.%02d.%02d.%02d.%02d.%02d.%09d", now.getYear(), now.getMonthValue(),
                now.getDayOfMonth(), now.getHour(), now.getMinute(), now.getSecond(), now.getNano());
        out.close();
        try {
            Files.move(Path.of(name), Path.of(backup));
            out = open(name);
        } catch (IOException e) {
            try {
                out = open(name);
            } catch (IOException again) {
                out = System.err;
            }
            written = 0;
            return;
        }
        StringBuilder sb = new StringBuilder(pid);
        if (logtime) {
            TIME.append(sb, Instant.now());
            sb.append(' ');
        }
        String line = sb.append("[INF] Rotated log, backup saved as \"").append(backup).append('"')
                .append(System.lineSeparator()).toString();
        out.print(line);
        written = line.getBytes(StandardCharsets.UTF_8).length;
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
