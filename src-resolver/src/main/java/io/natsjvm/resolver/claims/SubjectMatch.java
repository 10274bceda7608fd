package io.natsjvm.resolver.claims;

/** Subject pattern checks for exports, imports and activations ('*' one token, '>' the rest). */
public final class SubjectMatch {
    private SubjectMatch() {
    }

    /** True if every subject matched by {@code inner} is also matched by {@code outer}. */
    public static boolean covers(String outer, String inner) {
        String[] o = outer.split("\\.", -1);
        String[] i = inner.split("\\.", -1);
        for (int k = 0; k < o.length; k++) {
            if (o[k].equals(">")) {
                return k < i.length;
            }
            if (k >= i.length) {
                return false;
            }
            if (o[k].equals("*")) {
                if (i[k].equals(">")) {
                    return false;
                }
                continue;
            }
            if (!o[k].equals(i[k])) {
                return false;
            }
        }
        return o.length == i.length;
    }
}
