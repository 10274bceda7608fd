package io.natsjvm.server.protocol;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Strings escaped as Go's json.Marshal escapes them, so INFO, events and monitoring pages carry the
 * reference's bytes when a name holds such characters: {@code <}, {@code >} and {@code &} as the
 * six-character escapes &#92;u003c, &#92;u003e and &#92;u0026; control characters other than
 * newline, carriage return and tab as &#92;u00xx in lower-case hex (never the short forms for
 * backspace and form feed); U+2028 and U+2029 escaped likewise. Everything else is written as
 * Jackson writes it.
 */
public final class GoJsonEscapes extends CharacterEscapes {
    public static final GoJsonEscapes INSTANCE = new GoJsonEscapes();

    private final int[] ascii = standardAsciiEscapesForJSON();
    private final SerializableString[] custom = new SerializableString[128];
    private final SerializableString lineSeparator = new SerializedString("\\u2028");
    private final SerializableString paragraphSeparator = new SerializedString("\\u2029");

    private GoJsonEscapes() {
        for (int c = 0; c < 0x20; c++) {
            if (c != '\n' && c != '\r' && c != '\t') {
                escape(c);
            }
        }
        escape('<');
        escape('>');
        escape('&');
    }

    private void escape(int c) {
        ascii[c] = ESCAPE_CUSTOM;
        String hex = "0123456789abcdef";
        custom[c] = new SerializedString("\\u00" + hex.charAt(c >> 4) + hex.charAt(c & 0xf));
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch < custom.length) {
            return custom[ch];
        }
        return switch (ch) {
            case 0x2028 -> lineSeparator;
            case 0x2029 -> paragraphSeparator;
            default -> null;
        };
    }
}
