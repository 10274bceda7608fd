package io.natsjvm.tools.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * scripts/keys: what nsc does for the basics. Creates an operator (with a signing key), a system
 * account and its user, accounts and users with .creds files; edits an account's limits,
 * exports, imports and revocations and re-signs it; writes server configs for the MEMORY and
 * full resolvers; pushes an account JWT to a running server.
 */
public final class KeyTool {
    static final String USAGE = """
            usage: scripts/keys [--dir DIR] COMMAND ...      (DIR defaults to operator-keys-sample)
              init [--operator NAME]                      operator + signing key, SYS account, SYS user 'sys'
              account add NAME [limits]                   a new account signed by the operator signing key
              account edit NAME [limits] [--revoke USER_OR_PUBKEY] [--unrevoke PUBKEY]
                               [--export SUBJECT [--service]] [--import SUBJECT --from ACCOUNT [--service]]
              user add ACCOUNT NAME [--bearer] [--pub-allow S,..] [--sub-allow S,..] [--pub-deny S,..] [--sub-deny S,..]
              config [--tls-cert F --tls-key F [--tls-ca F] [--tls-verify]]
                                                          writes server-memory.conf and server-full.conf
                                                          (with a tls {} block when given certificate files)
              push ACCOUNT [-s URL] [--creds FILE] [--old] sends the account JWT to a server (CLAIMS.UPDATE)
              show                                        lists operator, accounts and users with their keys
            limits: --conn N --subs N --payload N --data N --leaf N --imports N --exports N (-1 = unlimited)
                    --disallow-bearer true|false
            """;

    private final KeyDir dir;
    private final PrintStream out;

    KeyTool(Path root, PrintStream out) {
        this.dir = new KeyDir(root);
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        Path root = Path.of("operator-keys-sample");
        int d = a.indexOf("--dir");
        if (d >= 0 && d + 1 < a.size()) {
            root = Path.of(a.get(d + 1));
            a.remove(d + 1);
            a.remove(d);
        }
        if (a.isEmpty() || a.contains("-h") || a.contains("--help")) {
            out.print(USAGE);
            return a.isEmpty() ? 2 : 0;
        }
        try {
            new KeyTool(root, out).dispatch(a);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("keys: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("keys: " + e);
            return 1;
        }
    }

    private void dispatch(List<String> a) throws Exception {
        String cmd = a.get(0) + (a.size() > 1 && (a.get(0).equals("account") || a.get(0).equals("user"))
                ? " " + a.get(1) : "");
        List<String> rest = a.subList(cmd.contains(" ") ? 2 : 1, a.size());
        switch (cmd) {
            case "init" -> init(opt(rest, "--operator", "OP"));
            case "account add" -> accountAdd(positional(rest, 0, "account name"), rest);
            case "account edit" -> accountEdit(positional(rest, 0, "account name"), rest);
            case "user add" -> userAdd(positional(rest, 0, "account"), positional(rest, 1, "user name"), rest);
            case "config" -> config(rest);
            case "push" -> push(positional(rest, 0, "account"), rest);
            case "show" -> show();
            default -> throw new IllegalArgumentException("unknown command '" + cmd + "'\n" + USAGE);
        }
    }

    // ---------------------------------------------------------------- commands

    void init(String operatorName) throws Exception {
        if (Files.exists(dir.operatorSeed())) {
            throw new IllegalArgumentException(dir.root + " already has an operator");
        }
        NKeyPair op = NKeyPair.create(NKeys.PREFIX_OPERATOR);
        NKeyPair signer = NKeyPair.create(NKeys.PREFIX_OPERATOR);
        dir.writeSeed(dir.operatorSeed(), op);
        dir.writeSeed(dir.operatorSigningSeed(), signer);
        NKeyPair sys = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        dir.writeSeed(dir.accountSeed("SYS"), sys);
        ObjectNode oc = claims(op.publicKey(), operatorName, "operator");
        oc.with("nats").putArray("signing_keys").add(signer.publicKey());
        oc.with("nats").put("system_account", sys.publicKey());
        dir.write(dir.operatorJwt(), Jwts.sign(oc, op));
        signAccount("SYS", claims(sys.publicKey(), "SYS", "account"));
        out.println("operator " + operatorName + " " + op.publicKey() + " (signing key " + signer.publicKey() + ")");
        out.println("account SYS " + sys.publicKey());
        userAdd("SYS", "sys", List.of());
    }

    void accountAdd(String name, List<String> opts) throws Exception {
        if (Files.exists(dir.accountJwt(name))) {
            throw new IllegalArgumentException("account " + name + " exists (use 'account edit')");
        }
        NKeyPair acc = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        dir.writeSeed(dir.accountSeed(name), acc);
        ObjectNode c = claims(acc.publicKey(), name, "account");
        limits(c.with("nats"), opts);
        signAccount(name, c);
        out.println("account " + name + " " + acc.publicKey());
    }

    void accountEdit(String name, List<String> opts) throws Exception {
        ObjectNode c = dir.claims(dir.accountJwt(name));
        ObjectNode nats = c.with("nats");
        limits(nats, opts);
        for (int i = 0; i < opts.size(); i++) {
            String o = opts.get(i);
            switch (o) {
                case "--revoke" -> nats.with("revocations").put(userKey(name, opts.get(++i)),
                        System.currentTimeMillis() / 1000);
                case "--unrevoke" -> nats.with("revocations").remove(userKey(name, opts.get(++i)));
                case "--export" -> {
                    ObjectNode e = nats.withArray("exports").addObject();
                    e.put("name", opts.get(i + 1));
                    e.put("subject", opts.get(++i));
                    e.put("type", opts.contains("--service") ? "service" : "stream");
                }
                case "--import" -> {
                    String subject = opts.get(++i);
                    String from = opt(opts, "--from", null);
                    if (from == null) {
                        throw new IllegalArgumentException("--import needs --from ACCOUNT");
                    }
                    ObjectNode imp = nats.withArray("imports").addObject();
                    imp.put("name", subject);
                    imp.put("subject", subject);
                    imp.put("account", accountKey(from));
                    imp.put("type", opts.contains("--service") ? "service" : "stream");
                }
                default -> { }
            }
        }
        signAccount(name, c);
        out.println("account " + name + " re-signed: " + dir.root.relativize(dir.accountJwt(name)));
    }

    void userAdd(String account, String name, List<String> opts) throws Exception {
        NKeyPair accKey = dir.seed(dir.accountSeed(account));
        NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);
        ObjectNode c = claims(user.publicKey(), name, "user");
        ObjectNode nats = c.with("nats");
        nats.putObject("pub");
        nats.putObject("sub");
        nats.put("subs", -1);
        nats.put("data", -1);
        nats.put("payload", -1);
        if (opts.contains("--bearer")) {
            nats.put("bearer_token", true);
        }
        perm(nats, "pub", "allow", opt(opts, "--pub-allow", null));
        perm(nats, "pub", "deny", opt(opts, "--pub-deny", null));
        perm(nats, "sub", "allow", opt(opts, "--sub-allow", null));
        perm(nats, "sub", "deny", opt(opts, "--sub-deny", null));
        String jwt = Jwts.sign(c, accKey);
        dir.write(dir.creds(account, name), KeyDir.credsText(jwt, user.encodedSeed()));
        out.println("user " + name + " " + user.publicKey() + " -> " + dir.root.relativize(dir.creds(account, name)));
    }

    void config(List<String> opts) throws Exception {
        String op = dir.root.relativize(dir.operatorJwt()).toString();
        String sysKey = accountKey("SYS");
        StringBuilder preload = new StringBuilder("resolver_preload: {\n");
        for (String a : dir.accounts()) {
            preload.append("  # ").append(a).append('\n').append("  ").append(accountKey(a)).append(": ")
                    .append(dir.read(dir.accountJwt(a))).append('\n');
        }
        preload.append("}\n");
        String head = "# Written by scripts/keys config. Paths are relative to the directory the server runs in.\n"
                + "port: 4222\nhttp_port: 8222\noperator: \"" + dir.root.resolve(op) + "\"\nsystem_account: " + sysKey
                + "\n" + tlsBlock(opts);
        dir.write(dir.root.resolve("server-memory.conf"), head + "resolver: MEMORY\n" + preload);
        dir.write(dir.root.resolve("server-full.conf"), head + "resolver: {\n  type: full\n  dir: \""
                + dir.root.resolve("store") + "\"\n  allow_delete: true\n}\n" + preload);
        out.println("wrote " + dir.root.resolve("server-memory.conf") + " and " + dir.root.resolve("server-full.conf"));
    }

    /**
     * The {@code tls {}} block for {@code --tls-cert}/{@code --tls-key} (and {@code --tls-ca},
     * {@code --tls-verify}), with absolute paths; empty without them. The files must exist, so a
     * typo fails here rather than when the server starts.
     */
    private static String tlsBlock(List<String> opts) {
        String cert = opt(opts, "--tls-cert", null);
        String key = opt(opts, "--tls-key", null);
        String ca = opt(opts, "--tls-ca", null);
        boolean verify = opts.contains("--tls-verify");
        if (cert == null && key == null && ca == null && !verify) {
            return "";
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (verify && ca == null) {
            throw new IllegalArgumentException("--tls-verify needs --tls-ca (the CA client certificates chain to)");
        }
        StringBuilder b = new StringBuilder("tls {\n");
        b.append("  cert_file: \"").append(existing(cert)).append("\"\n");
        b.append("  key_file: \"").append(existing(key)).append("\"\n");
        if (ca != null) {
            b.append("  ca_file: \"").append(existing(ca)).append("\"\n");
        }
        if (verify) {
            b.append("  verify: true\n");
        }
        return b.append("  timeout: 2\n}\n").toString();
    }

    private static Path existing(String file) {
        Path p = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no such file: " + p);
        }
        return p;
    }

    void push(String account, List<String> opts) throws Exception {
        String url = opt(opts, "-s", "nats://127.0.0.1:4222");
        String creds = opt(opts, "--creds", dir.creds("SYS", "sys").toString());
        String jwt = dir.read(dir.accountJwt(account));
        String key = accountKey(account);
        try (Connection nc = Nats.connect(new io.nats.client.Options.Builder().server(url)
                .authHandler(Nats.credentials(creds)).connectionName("nats-jvm-keys").maxReconnects(0).build())) {
            String subject = opts.contains("--old") ? "$SYS.ACCOUNT." + key + ".CLAIMS.UPDATE"
                    : "$SYS.REQ.ACCOUNT." + key + ".CLAIMS.UPDATE";
            Message reply = nc.request(subject, jwt.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(5));
            if (reply == null) {
                throw new IllegalStateException("no reply from " + url + " (is it running in operator mode?)");
            }
            String body = new String(reply.getData(), StandardCharsets.UTF_8);
            out.println(body);
            if (body.contains("\"error\"")) {
                throw new IllegalArgumentException("the server refused the update");
            }
        }
    }

    void show() throws Exception {
        out.println("operator " + dir.claims(dir.operatorJwt()).path("name").asText() + " "
                + dir.claims(dir.operatorJwt()).path("sub").asText());
        for (String a : dir.accounts()) {
            ObjectNode c = dir.claims(dir.accountJwt(a));
            out.println("  account " + a + " " + c.path("sub").asText() + " limits " + c.at("/nats/limits"));
        }
    }

    // ---------------------------------------------------------------- helpers

    private void signAccount(String name, ObjectNode claims) throws Exception {
        dir.write(dir.accountJwt(name), Jwts.sign(claims, dir.seed(dir.operatorSigningSeed())));
    }

    private String accountKey(String name) throws Exception {
        return dir.claims(dir.accountJwt(name)).path("sub").asText();
    }

    /** A user public key, or a user name whose .creds file is in this directory. */
    private String userKey(String account, String userOrKey) throws Exception {
        if (NKeys.isValidPublic(userOrKey, NKeys.PREFIX_USER)) {
            return userOrKey;
        }
        String text = dir.read(dir.creds(account, userOrKey));
        String jwt = text.lines().filter(l -> l.startsWith("eyJ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no JWT in creds of " + userOrKey));
        return Jwts.decode(jwt).subject();
    }

    static ObjectNode claims(String sub, String name, String type) {
        return Jwts.claims(sub, name, type);
    }

    private static void limits(ObjectNode nats, List<String> opts) {
        ObjectNode l = nats.with("limits");
        for (String k : List.of("conn", "subs", "payload", "data", "leaf", "imports", "exports")) {
            String v = opt(opts, "--" + k, null);
            if (v != null) {
                try {
                    l.put(k, Long.parseLong(v));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + k + " needs a number, got '" + v + "'");
                }
            }
        }
        String bearer = opt(opts, "--disallow-bearer", null);
        if (bearer != null) {
            l.put("disallow_bearer", Boolean.parseBoolean(bearer));
        }
    }

    private static void perm(ObjectNode nats, String kind, String list, String csv) {
        if (csv == null) {
            return;
        }
        ArrayNode arr = nats.with(kind).putArray(list);
        for (String s : csv.split(",")) {
            arr.add(s.trim());
        }
    }

    static String opt(List<String> opts, String name, String dflt) {
        int i = opts.indexOf(name);
        if (i < 0) {
            return dflt;
        }
        if (i + 1 >= opts.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return opts.get(i + 1);
    }

    private static String positional(List<String> opts, int index, String what) {
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < opts.size(); i++) {
            if (opts.get(i).startsWith("-")) {
                if (!opts.get(i).equals("--service") && !opts.get(i).equals("--bearer") && !opts.get(i).equals("--old")) {
                    i++;
                }
                continue;
            }
            plain.add(opts.get(i));
        }
        if (index >= plain.size()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return plain.get(index);
    }
}
