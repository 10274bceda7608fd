package io.natsjvm.embedded;

import java.nio.file.Path;

/** Where an operator-mode server's users' {@code .creds} files come from. */
interface Credentials {
    Path credentials(String account, String user);
}
