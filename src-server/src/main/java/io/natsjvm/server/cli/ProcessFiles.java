package io.natsjvm.server.cli;

import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.ServerOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files nats-server writes for process managers: the pid file ({@code -P}, {@code pid_file})
 * and the ports file ({@code ports_file_dir}: {@code <executable>_<pid>.ports}, JSON with the
 * URLs clients and monitoring can use; removed when the server stops).
 */
final class ProcessFiles {
    private final Path portsFile;

    private ProcessFiles(Path portsFile) {
        this.portsFile = portsFile;
    }

    static ProcessFiles write(NatsServer server, ServerOptions opts) throws IOException {
        long pid = ProcessHandle.current().pid();
        if (opts.pidFile != null && !opts.pidFile.isEmpty()) {
            Files.writeString(Path.of(opts.pidFile), Long.toString(pid));
        }
        Path ports = null;
        if (opts.portsFileDir != null && !opts.portsFileDir.isEmpty()) {
            ports = Path.of(opts.portsFileDir, "nats-server_" + pid + ".ports");
            Files.writeString(ports, PortsInfo.json(server, opts));
        }
        return new ProcessFiles(ports);
    }

    void remove() {
        if (portsFile != null) {
            try {
                Files.deleteIfExists(portsFile);
            } catch (IOException ignored) {
                // best effort at exit
            }
        }
    }
}
