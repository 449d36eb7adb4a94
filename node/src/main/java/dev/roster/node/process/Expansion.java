package dev.roster.node.process;

import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} references in env values, command and args: {@code $(NAME)} becomes the variable's
 * value when it is defined and stays as written when not; {@code $$} is an escaped {@code $}; any other {@code $}
 * is kept.
 */
public final class Expansion {
    private Expansion() {}

    /** @param lookup the value of a variable, or null when it is not defined */
    public static String expand(String input, Function<String, String> lookup) {
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    // no closing parenthesis: the text stays, scanning goes on after "$("
                    out.append("$(");
                    i += 2;
                } else {
                    String name = input.substring(i + 2, close);
                    String value = lookup.apply(name);
                    out.append(value != null ? value : "$(" + name + ")");
                    i = close + 1;
                }
            } else {
                out.append('$').append(next);
                i += 2;
            }
        }
        return out.toString();
    }
}
