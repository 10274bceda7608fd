package io.natsjvm.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes the client side of the NATS protocol from a byte stream and calls a
 * {@link ProtocolHandler} for each complete operation.
 *
 * <p>Behaviour follows nats-server 2.9.10's parser: operation names are case-insensitive and
 * checked as soon as their bytes arrive (garbage is rejected without waiting for a line end),
 * arguments end at LF with an optional CR, the argument part may not exceed max_control_line,
 * and a payload must be followed by exactly CRLF. Bytes of an incomplete operation are kept in a
 * cumulation buffer until the rest arrives; complete messages are routed straight from the read
 * buffer without copying.
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop.
 */
public final class ProtocolParser {
    private static final byte[] PUB = {'P', 'U', 'B'};
    private static final byte[] HPUB = {'H', 'P', 'U', 'B'};
    private static final byte[] SUB = {'S', 'U', 'B'};
    private static final byte[] UNSUB = {'U', 'N', 'S', 'U', 'B'};
    private static final byte[] PING = {'P', 'I', 'N', 'G'};
    private static final byte[] PONG = {'P', 'O', 'N', 'G'};
    private static final byte[] CONNECT = {'C', 'O', 'N', 'N', 'E', 'C', 'T'};
    private static final byte[] INFO = {'I', 'N', 'F', 'O'};
    private static final byte[] OK = {'+', 'O', 'K'};
    private static final byte[] ERR = {'-', 'E', 'R', 'R'};
    private static final byte[] RSUB = {'R', 'S', '+'};
    private static final byte[] RUNSUB = {'R', 'S', '-'};
    private static final byte[] RMSG = {'R', 'M', 'S', 'G'};
    private static final byte[] HMSG = {'H', 'M', 'S', 'G'};
    private static final byte[] LSUB = {'L', 'S', '+'};
    private static final byte[] LUNSUB = {'L', 'S', '-'};
    private static final byte[] LMSG = {'L', 'M', 'S', 'G'};
    private static final int MAX_PARSE_SIZE_LEN = 9;
    private static final int LINE_KEPT = 128;
    private static final int INCOMPLETE = -1;
    private static final int MISMATCH = -2;

    private final ProtocolHandler handler;
    private final ByteBufAllocator alloc;
    private final InboundMessage msg = new InboundMessage();
    private ByteBuf cumulation;
    /** True while {@link #parse} runs; {@link #release} then leaves the buffer to it. */
    private boolean parsing;
    private boolean released;
    private boolean unreadAtRefusal;

    // Argument token positions of the current line (absolute indexes into the buffer).
    private int[] tokStart = new int[6];
    private int[] tokEnd = new int[6];

    // The argument bytes of the line being parsed (buffer index i is line[i - lineBase]) and
    // where the argument ends (before the CR): set by lineEnd for every complete line.
    private byte[] line = new byte[LINE_KEPT];
    private int lineBase;
    private int lineArgEnd;

    // A PUB/HPUB whose arguments were accepted and whose payload has not fully arrived yet.
    // Offsets are relative to the start of the operation, which stays at the buffer's reader index.
    private boolean payloadPending;
    private int payloadRel;
    private int subjectRel;
    private int subjectLen;
    private int replyRel;
    private int replyLen;
    private int headerLen;
    private int totalLen;
    /** Leading zeros written in the sizes: the reference echoes the sizes as the publisher wrote them. */
    private int headerPad;
    private int totalPad;
    /** A routed message (RMSG/HMSG from a route): its account and queue groups. */
    private String pendingAccount;
    private String[] pendingQueues;
    /** For an LMSG from a route: the leaf cluster it came from. */
    private String pendingOrigin;
    private final RepeatedName accounts = new RepeatedName();
    private final RepeatedName origins = new RepeatedName();

    // Last published subject, so a publisher sending to the same subject allocates no String.
    private final RepeatedName subjects = new RepeatedName();

    public ProtocolParser(ProtocolHandler handler, ByteBufAllocator alloc) {
        this.handler = handler;
        this.alloc = alloc;
        msg.publisher = handler;
    }

    /**
     * Parses as much of {@code data} (plus earlier leftovers) as forms complete operations.
     * Takes ownership of {@code data}.
     *
     * @throws ProtocolException when the connection must be closed
     */
    public void feed(ByteBuf data) throws ProtocolException {
        if (cumulation != null && !released) {
            try {
                finishSplitOperation(data);
            } catch (ProtocolException e) {
                unreadAtRefusal |= data.isReadable();
                data.release();
                throw e;
            }
        }
        if (released) {
            data.release();
        } else if (cumulation != null) {
            // paused (parsed on resume), or data did not finish the operation (then it is empty)
            cumulation.writeBytes(data);
            data.release();
        } else {
            parseAndKeep(data);
        }
    }

    /**
     * Completes the operation the last read cut in two: moves from {@code data} into the
     * cumulation only the bytes it lacks (the rest of the line, then the rest of the payload) and
     * parses it. The rest of {@code data} is then parsed where it lies: copying every read behind
     * a leftover, as a cumulating decoder does, copied the whole stream of a busy publisher, and
     * parsing two kinds of buffer made the JIT recompile the parser.
     */
    private void finishSplitOperation(ByteBuf data) throws ProtocolException {
        while (cumulation != null && data.isReadable() && !released && !handler.paused()) {
            int take;
            if (payloadPending) {
                int missing = payloadRel + totalLen + 2 - cumulation.readableBytes();
                take = Math.min(Math.max(missing, 1), data.readableBytes());
            } else {
                int lf = data.indexOf(data.readerIndex(), data.writerIndex(), (byte) '\n');
                take = lf < 0 ? data.readableBytes() : lf + 1 - data.readerIndex();
            }
            cumulation.writeBytes(data, take);
            parseAndKeep(cumulation);
        }
    }

    /** Whether bytes after the refused PUB line (its body) had already arrived. */
    public boolean unreadAtRefusal() {
        return unreadAtRefusal;
    }

    /**
     * Frees buffered bytes; call when the connection closes. Closing can happen from inside a
     * handler callback (a refused CONNECT closes the channel, which reports inactive at once):
     * then the buffer being parsed is freed when parsing returns, never under the parser.
     */
    public void release() {
        released = true;
        if (!parsing) {
            freeCumulation();
        }
    }

    private void freeCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    private void parseAndKeep(ByteBuf buf) throws ProtocolException {
        parsing = true;
        try {
            parse(buf);
        } finally {
            parsing = false;
            keepRemainder(buf);
            if (released) {
                freeCumulation();
            }
        }
    }

    private void keepRemainder(ByteBuf buf) {
        if (buf == cumulation) {
            if (!buf.isReadable()) {
                buf.release();
                cumulation = null;
            } else if (buf.readerIndex() > 64 * 1024) {
                buf.discardReadBytes();
            }
            return;
        }
        if (buf.isReadable()) {
            int n = buf.readableBytes();
            // direct, like the socket's buffers: the parser's call sites then see one buffer class
            cumulation = alloc.directBuffer(Math.max(n * 2, 512));
            cumulation.writeBytes(buf);
        }
        buf.release();
    }

    /** Continues with the bytes held while the handler was paused. */
    public void resume() throws ProtocolException {
        if (cumulation != null && !released) {
            parseAndKeep(cumulation);
        }
    }

    private void parse(ByteBuf buf) throws ProtocolException {
        while (buf.isReadable() && !released) {
            if (handler.paused()) {
                return;
            }
            if (payloadPending) {
                if (!completePayload(buf)) {
                    return;
                }
                continue;
            }
            int start = buf.readerIndex();
            int end = buf.writerIndex();
            byte b0 = buf.getByte(start);
            ConnectionKind kind = handler.kind();
            boolean routes = kind == ConnectionKind.ROUTER;
            boolean leaf = kind == ConnectionKind.LEAF;
            if (b0 != 'C' && b0 != 'c' && handler.awaitingConnect()) {
                throw new ProtocolException(ProtocolErrors.AUTHORIZATION_VIOLATION,
                        CloseReason.AUTHENTICATION_VIOLATION, "protocol before CONNECT");
            }
            boolean done;
            switch (b0) {
                case 'P', 'p' -> {
                    if (start + 1 >= end) {
                        return;
                    }
                    byte b1 = buf.getByte(start + 1);
                    if (b1 == 'U' || b1 == 'u') {
                        done = pub(buf, start, end, false);
                    } else if (b1 == 'I' || b1 == 'i') {
                        done = bare(buf, start, end, PING);
                    } else if (b1 == 'O' || b1 == 'o') {
                        done = bare(buf, start, end, PONG);
                    } else {
                        throw unknown(buf, start);
                    }
                }
                case 'H', 'h' -> done = routes || leaf ? routed(buf, start, end, routes ? Routed.HMSG_ROUTE : Routed.HMSG_LEAF)
                        : pub(buf, start, end, true);
                case 'L', 'l' -> {
                    // from a leaf: its LS+/LS-/LMSG; from a route: interest and messages of a
                    // leaf cluster, named first (lnoc)
                    if (!leaf && !routes) {
                        throw unknown(buf, start);
                    }
                    if (start + 1 >= end) {
                        return;
                    }
                    byte b1 = buf.getByte(start + 1);
                    if (b1 == 'M' || b1 == 'm') {
                        done = routes ? routed(buf, start, end, Routed.LMSG_ORIGIN) : routed(buf, start, end, Routed.LMSG);
                    } else {
                        done = remoteInterest(buf, start, end, routes, routes);
                    }
                }
                case 'R', 'r' -> {
                    if (!routes) {
                        throw unknown(buf, start);
                    }
                    if (start + 1 >= end) {
                        return;
                    }
                    byte b1 = buf.getByte(start + 1);
                    if (b1 == 'M' || b1 == 'm') {
                        done = routed(buf, start, end, Routed.RMSG);
                    } else {
                        done = remoteInterest(buf, start, end, true, false);
                    }
                }
                case 'S', 's' -> done = sub(buf, start, end);
                case 'U', 'u' -> done = unsub(buf, start, end);
                case 'C', 'c' -> done = connectOrInfo(buf, start, end, CONNECT);
                case 'I', 'i' -> done = connectOrInfo(buf, start, end, INFO);
                case '+' -> done = bare(buf, start, end, OK);
                case '-' -> done = err(buf, start, end);
                default -> throw unknown(buf, start);
            }
            if (!done) {
                return;
            }
        }
    }

    /** Index after the keyword, {@link #INCOMPLETE} or {@link #MISMATCH}. */
    private static int keyword(ByteBuf buf, int i, int end, byte[] kw) {
        for (byte k : kw) {
            if (i >= end) {
                return INCOMPLETE;
            }
            byte b = buf.getByte(i);
            if (b != k && b != (k | 0x20)) {
                return MISMATCH;
            }
            i++;
        }
        return i;
    }

    /** After a keyword that takes arguments: one or more spaces/tabs, returns the argument start. */
    private int argStart(ByteBuf buf, int start, int end, byte[] kw, boolean spaceRequired) throws ProtocolException {
        int i = keyword(buf, start, end, kw);
        if (i == MISMATCH) {
            throw unknown(buf, start);
        }
        if (i == INCOMPLETE || i >= end) {
            return INCOMPLETE;
        }
        if (spaceRequired) {
            byte b = buf.getByte(i);
            if (b != ' ' && b != '\t') {
                throw unknown(buf, start);
            }
            i++;
        }
        while (i < end) {
            byte b = buf.getByte(i);
            if (b != ' ' && b != '\t') {
                return i;
            }
            i++;
        }
        return INCOMPLETE;
    }

    /**
     * Finds the end of the argument line starting at {@code argStart}; returns the LF index or
     * {@link #INCOMPLETE}, enforcing max_control_line on the argument bytes. A complete line's
     * argument is then in {@link #line}, ending at {@link #lineArgEnd}.
     */
    private int lineEnd(ByteBuf buf, int argStart, int end) throws ProtocolException {
        // The argument's first byte never ends the line: as in the reference, a LF right after the
        // operation's spaces starts the argument ("UNSUB \n1\r\n" is UNSUB 1).
        int lf = buf.indexOf(argStart + 1, end, (byte) '\n');
        int mcl = handler.maxControlLine();
        if (lf < 0) {
            if (end - argStart > mcl) {
                throw maxControlLine();
            }
            return INCOMPLETE;
        }
        if (lf - argStart > (long) mcl + 1) { // the argument is at least lf - 1 - argStart long
            throw maxControlLine();
        }
        loadLine(buf, argStart, lf);
        lineArgEnd = argEnd(argStart, lf);
        if (lineArgEnd - argStart > mcl) {
            throw maxControlLine();
        }
        return lf;
    }

    /**
     * Where the argument ends before the LF. As in the reference, a CR anywhere in the line means
     * the byte before the LF is dropped, whatever it is ("SUB a 1\r9\n" is SUB a 1).
     */
    private int argEnd(int argStart, int lf) {
        if (lf <= argStart) {
            return lf;
        }
        byte[] l = line;
        int base = lineBase;
        if (l[lf - 1 - base] == '\r') {
            return lf - 1;
        }
        for (int i = argStart - base; i < lf - 1 - base; i++) {
            if (l[i] == '\r') {
                return lf - 1;
            }
        }
        return lf;
    }

    /**
     * Copies the argument bytes [from, to) into {@link #line}: the tokens are then read from an
     * array, where each byte costs no buffer bounds and liveness checks (the parser's largest
     * cost in the pub/sub profile).
     */
    private void loadLine(ByteBuf buf, int from, int to) {
        int n = to - from;
        if (line.length < n) {
            line = new byte[Math.max(n, 2 * line.length)];
        }
        buf.getBytes(from, line, 0, n);
        lineBase = from;
    }

    /** After a CONNECT or INFO (often 1-2 KB with a JWT): an idle connection keeps a small line. */
    private void shrinkLine() {
        if (line.length > LINE_KEPT) {
            line = new byte[LINE_KEPT];
        }
    }

    private String name(RepeatedName names, int t) {
        return names.decode(line, tokStart[t] - lineBase, tokEnd[t] - tokStart[t]);
    }

    private static ProtocolException maxControlLine() {
        return new ProtocolException(ProtocolErrors.MAX_CONTROL_LINE, CloseReason.MAX_CONTROL_LINE_EXCEEDED,
                "maximum control line exceeded");
    }

    private static ProtocolException unknown(ByteBuf buf, int at) {
        int n = Math.min(32, buf.writerIndex() - at);
        return ProtocolException.unknownOperation("parser error at '"
                + buf.toString(at, n, StandardCharsets.US_ASCII).replace("\r", "\\r").replace("\n", "\\n") + "'");
    }

    /** Splits [from, to) on the given separators into tokStart/tokEnd; returns the count (max+1 if more). */
    private int split(int from, int to, boolean crlfSeparates) {
        int n = 0;
        int s = -1;
        byte[] l = line;
        int base = lineBase;
        for (int i = from; i < to; i++) {
            byte b = l[i - base];
            boolean sep = b == ' ' || b == '\t' || (crlfSeparates && (b == '\r' || b == '\n'));
            if (sep) {
                if (s >= 0) {
                    if (n == tokStart.length && !grow()) {
                        return n + 1;
                    }
                    tokStart[n] = s;
                    tokEnd[n++] = i;
                    s = -1;
                }
            } else if (s < 0) {
                s = i;
            }
        }
        if (s >= 0) {
            if (n == tokStart.length && !grow()) {
                return n + 1;
            }
            tokStart[n] = s;
            tokEnd[n++] = to;
        }
        return n;
    }

    /** Routed messages name any number of queue groups: routes get more token slots. */
    private boolean grow() {
        ConnectionKind k = handler.kind();
        if (k != ConnectionKind.ROUTER && k != ConnectionKind.LEAF) {
            return false;
        }
        tokStart = Arrays.copyOf(tokStart, tokStart.length * 2);
        tokEnd = Arrays.copyOf(tokEnd, tokEnd.length * 2);
        return true;
    }

    private int token(int t) {
        return parseSize(line, tokStart[t] - lineBase, tokEnd[t] - lineBase);
    }

    private String tokenString(int t) {
        return new String(line, tokStart[t] - lineBase, tokEnd[t] - tokStart[t], StandardCharsets.UTF_8);
    }

    /** Non-negative decimal of at most 9 digits, else -1 (as the reference). */
    static int parseSize(byte[] bytes, int from, int to) {
        int len = to - from;
        if (len == 0 || len > MAX_PARSE_SIZE_LEN) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b < '0' || b > '9') {
                return -1;
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    private boolean pub(ByteBuf buf, int start, int end, boolean withHeaders) throws ProtocolException {
        int as = argStart(buf, start, end, withHeaders ? HPUB : PUB, true);
        if (as == INCOMPLETE) {
            return false;
        }
        int lf = lineEnd(buf, as, end);
        if (lf == INCOMPLETE) {
            return false;
        }
        int n = split(as, lineArgEnd, false);
        int hdr = -1;
        int size;
        boolean hasReply;
        if (withHeaders) {
            if (!handler.headersSupported()) {
                throw ProtocolException.silent("message headers not supported");
            }
            if (n != 3 && n != 4) {
                throw ProtocolException.silent("processHeaderPub Parse Error");
            }
            hasReply = n == 4;
            hdr = token(n - 2);
            size = token(n - 1);
            if (hdr < 0) {
                throw ProtocolException.silent("processHeaderPub Bad or Missing Header Size");
            }
            if (size < 0) {
                throw ProtocolException.silent("processHeaderPub Bad or Missing Total Size");
            }
            if (hdr > size) {
                throw ProtocolException.silent("processHeaderPub Header Size larger then TotalSize");
            }
        } else {
            if (n != 2 && n != 3) {
                throw ProtocolException.silent("processPub Parse Error");
            }
            hasReply = n == 3;
            size = token(n - 1);
            if (size < 0) {
                throw ProtocolException.silent("processPub Bad or Missing Size");
            }
        }
        subjectRel = tokStart[0] - start;
        subjectLen = tokEnd[0] - tokStart[0];
        replyRel = hasReply ? tokStart[1] - start : 0;
        replyLen = hasReply ? tokEnd[1] - tokStart[1] : 0;
        headerLen = hdr;
        totalLen = size;
        headerPad = withHeaders ? padding(n - 2, hdr) : 0;
        totalPad = padding(n - 1, size);
        payloadRel = lf + 1 - start;
        payloadPending = true;
        pendingAccount = null;
        pendingQueues = null;
        pendingOrigin = null;
        try {
            handler.onPublishArgs(name(subjects, 0), size);
        } catch (ProtocolException refused) {
            unreadAtRefusal = lf + 1 < end;
            throw refused;
        }
        return true;
    }

    /** Leading zeros of size token {@code t} (almost always none: one byte compared). */
    private int padding(int t, int value) {
        int len = tokEnd[t] - tokStart[t];
        return len > 1 && line[tokStart[t] - lineBase] == '0' ? len - digits(value) : 0;
    }

    private static int digits(int v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    /** Routes the pending message once its payload and CRLF are in; false if more bytes are needed. */
    private boolean completePayload(ByteBuf buf) throws ProtocolException {
        int start = buf.readerIndex();
        int payloadAt = start + payloadRel;
        int crAt = payloadAt + totalLen;
        if (buf.writerIndex() < crAt + 2) {
            // Like the reference, refuse a wrong byte after the payload as soon as it arrives.
            if (buf.writerIndex() > crAt && buf.getByte(crAt) != '\r') {
                throw unknown(buf, crAt);
            }
            return false;
        }
        if (buf.getByte(crAt) != '\r' || buf.getByte(crAt + 1) != '\n') {
            throw unknown(buf, crAt);
        }
        payloadPending = false;
        InboundMessage m = msg;
        m.buf = buf;
        m.subject = subjects.last();
        m.subjectIndex = start + subjectRel;
        m.subjectLength = subjectLen;
        m.replyIndex = start + replyRel;
        m.replyLength = replyLen;
        m.payloadIndex = payloadAt;
        m.headerLength = headerLen;
        m.totalLength = totalLen;
        m.headerPad = headerPad;
        m.totalPad = totalPad;
        m.account = pendingAccount;
        m.queues = pendingQueues;
        m.originCluster = pendingOrigin;
        buf.readerIndex(crAt + 2);
        handler.onPublish(m);
        m.buf = null;
        return true;
    }

    /**
     * The message operations of routes and leaf nodes: what precedes the subject, whether header
     * and total sizes both follow, and the reference's name for errors.
     */
    private enum Routed {
        RMSG(ProtocolParser.RMSG, 1, false, "processRoutedMsgArgs"),
        HMSG_ROUTE(HMSG, 1, true, "processRoutedHeaderMsgArgs"),
        /** {@code LMSG origin account ...}: from a leaf cluster, always with a header size (0: none). */
        LMSG_ORIGIN(ProtocolParser.LMSG, 2, true, "processRoutedOriginClusterMsgArgs"),
        LMSG(ProtocolParser.LMSG, 0, false, "processLeafMsgArgs"),
        HMSG_LEAF(HMSG, 0, true, "processLeafHeaderMsgArgs");

        final byte[] keyword;
        /** Tokens before the subject: origin cluster, account. */
        final int names;
        final boolean sizes;
        final String what;

        Routed(byte[] keyword, int names, boolean sizes, String what) {
            this.keyword = keyword;
            this.names = names;
            this.sizes = sizes;
            this.what = what;
        }
    }

    /**
     * RMSG/HMSG/LMSG from a route or leaf: {@code [origin] [account] subject [reply | + reply
     * queues.. | "|" queues..] [hdr] size}, with the reference's error texts.
     */
    private boolean routed(ByteBuf buf, int start, int end, Routed op) throws ProtocolException {
        int as = argStart(buf, start, end, op.keyword, true);
        if (as == INCOMPLETE) {
            return false;
        }
        int lf = lineEnd(buf, as, end);
        if (lf == INCOMPLETE) {
            return false;
        }
        int n = split(as, lineArgEnd, true);
        String what = op.what;
        int a = op.names; // token index of the subject
        boolean withHeaders = op.sizes;
        int fixed = (withHeaders ? 3 : 2) + a; // [names] subject [hdr] size
        if (n < fixed) {
            throw ProtocolException.silent(what + " Parse Error");
        }
        int hdr = withHeaders ? token(n - 2) : -1;
        int size = token(n - 1);
        int replyTok = -1;
        String[] queues = null;
        if (n == fixed + 1) {
            replyTok = a + 1;
        } else if (n > fixed + 1) {
            int ind = a + 1;
            if (tokEnd[ind] - tokStart[ind] != 1) {
                throw ProtocolException.silent(what + " Bad or Missing Reply Indicator");
            }
            byte indicator = line[tokStart[ind] - lineBase];
            int firstQueue;
            if (indicator == '+') {
                replyTok = ind + 1;
                firstQueue = ind + 2;
            } else if (indicator == '|') {
                firstQueue = ind + 1;
            } else {
                throw ProtocolException.silent(what + " Bad or Missing Reply Indicator");
            }
            int lastQueue = n - (withHeaders ? 2 : 1);
            queues = new String[Math.max(0, lastQueue - firstQueue)];
            for (int t = firstQueue; t < lastQueue; t++) {
                queues[t - firstQueue] = tokenString(t);
            }
        }
        if (withHeaders && hdr < 0) {
            throw ProtocolException.silent(what + " Bad or Missing Header Size");
        }
        if (size < 0) {
            throw ProtocolException.silent(what + " Bad or Missing Size");
        }
        if (withHeaders && hdr > size) {
            throw ProtocolException.silent(what + " Header Size larger then TotalSize");
        }
        if (op == Routed.LMSG_ORIGIN) {
            pendingOrigin = name(origins, 0);
            if (hdr == 0) {
                hdr = -1; // the size is always there; 0 means the message has no headers
            }
        } else {
            pendingOrigin = null;
        }
        pendingAccount = a > 0 ? name(accounts, a - 1) : null;
        pendingQueues = queues;
        subjectRel = tokStart[a] - start;
        subjectLen = tokEnd[a] - tokStart[a];
        replyRel = replyTok >= 0 ? tokStart[replyTok] - start : 0;
        replyLen = replyTok >= 0 ? tokEnd[replyTok] - tokStart[replyTok] : 0;
        headerLen = hdr;
        totalLen = size;
        headerPad = 0;
        totalPad = 0;
        payloadRel = lf + 1 - start;
        payloadPending = true;
        name(subjects, a);
        return true;
    }

    /**
     * {@code RS+ account subject [queue weight]} / {@code RS- account subject [queue]} from a route,
     * and {@code LS+ origin account subject [queue weight]} / {@code LS- account subject [queue]}
     * for a leaf cluster's interest; {@code LS+ subject [queue weight]} / {@code LS- subject [queue]}
     * from a leaf node (its account is the one the connection is bound to: null is handed on).
     */
    private boolean remoteInterest(ByteBuf buf, int start, int end, boolean hasAccount, boolean leafOrigin)
            throws ProtocolException {
        boolean plus = start + 2 < end && buf.getByte(start + 2) == '+';
        byte[] kw = hasAccount && !leafOrigin ? (plus ? RSUB : RUNSUB) : (plus ? LSUB : LUNSUB);
        int as = argStart(buf, start, end, kw, true);
        if (as == INCOMPLETE) {
            return false;
        }
        int lf = lineEnd(buf, as, end);
        if (lf == INCOMPLETE) {
            return false;
        }
        int n = split(as, lineArgEnd, true);
        buf.readerIndex(lf + 1);
        int o = leafOrigin && plus ? 1 : 0; // only LS+ names the origin
        int a = (hasAccount ? 1 : 0) + o;
        String origin = o > 0 && n > 0 ? tokenString(0) : null;
        String account = hasAccount && n > a - 1 ? tokenString(a - 1) : null;
        if (plus) {
            if (n == 1 + a) {
                handler.onRemoteSub(origin, account, tokenString(a), null, 0);
            } else if (n == 3 + a) {
                handler.onRemoteSub(origin, account, tokenString(a), tokenString(a + 1), token(a + 2));
            } else {
                throw ProtocolException.silent(hasAccount ? "processRemoteSub Parse Error" : "processLeafSub Parse Error");
            }
        } else if (n == 1 + a || n == 2 + a) {
            handler.onRemoteUnsub(account, tokenString(a), n == 2 + a ? tokenString(a + 1) : null);
        } else {
            throw ProtocolException.silent(hasAccount ? "processRemoteUnsub parse error" : "processLeafUnsub parse error");
        }
        return true;
    }

    private boolean sub(ByteBuf buf, int start, int end) throws ProtocolException {
        int as = argStart(buf, start, end, SUB, true);
        if (as == INCOMPLETE) {
            return false;
        }
        int lf = lineEnd(buf, as, end);
        if (lf == INCOMPLETE) {
            return false;
        }
        int n = split(as, lineArgEnd, true);
        buf.readerIndex(lf + 1);
        if (n == 2) {
            handler.onSub(tokenString(0), null, tokenString(1));
        } else if (n == 3) {
            handler.onSub(tokenString(0), tokenString(1), tokenString(2));
        } else {
            throw ProtocolException.silent("processSub Parse Error");
        }
        return true;
    }

    private boolean unsub(ByteBuf buf, int start, int end) throws ProtocolException {
        int as = argStart(buf, start, end, UNSUB, true);
        if (as == INCOMPLETE) {
            return false;
        }
        int lf = lineEnd(buf, as, end);
        if (lf == INCOMPLETE) {
            return false;
        }
        int n = split(as, lineArgEnd, true);
        buf.readerIndex(lf + 1);
        if (n == 1) {
            handler.onUnsub(tokenString(0), -1);
        } else if (n == 2) {
            handler.onUnsub(tokenString(0), token(1));
        } else {
            throw ProtocolException.silent("processUnsub Parse Error");
        }
        return true;
    }

    private boolean connectOrInfo(ByteBuf buf, int start, int end, byte[] kw) throws ProtocolException {
        int as = argStart(buf, start, end, kw, false);
        if (as == INCOMPLETE) {
            return false;
        }
        int lf = lineEnd(buf, as, end);
        if (lf == INCOMPLETE) {
            return false;
        }
        String arg = new String(line, 0, lineArgEnd - as, StandardCharsets.UTF_8);
        shrinkLine();
        buf.readerIndex(lf + 1);
        if (kw == CONNECT) {
            handler.onConnect(arg);
        } else {
            handler.onInfo(arg);
        }
        return true;
    }

    private boolean err(ByteBuf buf, int start, int end) throws ProtocolException {
        int as = argStart(buf, start, end, ERR, true);
        if (as == INCOMPLETE) {
            return false;
        }
        int lf = lineEnd(buf, as, end);
        if (lf == INCOMPLETE) {
            return false;
        }
        String text = new String(line, 0, lineArgEnd - as, StandardCharsets.UTF_8);
        shrinkLine();
        buf.readerIndex(lf + 1);
        handler.onClientError(text);
        return true;
    }

    /** PING, PONG and +OK: the keyword, then anything up to LF. */
    private boolean bare(ByteBuf buf, int start, int end, byte[] kw) throws ProtocolException {
        int i = keyword(buf, start, end, kw);
        if (i == MISMATCH) {
            throw unknown(buf, start);
        }
        if (i == INCOMPLETE) {
            return false;
        }
        int lf = buf.indexOf(i, end, (byte) '\n');
        if (lf < 0) {
            if (end - i > handler.maxControlLine()) {
                throw maxControlLine();
            }
            return false;
        }
        buf.readerIndex(lf + 1);
        if (kw == PING) {
            handler.onPing();
        } else if (kw == PONG) {
            handler.onPong();
        }
        return true;
    }
}
