package dev.roster.api.selector;

import dev.roster.api.selector.LabelSelector.Operator;
import dev.roster.api.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The string form of a label selector, parsed token by token the way upstream's parser does, so
 * that the same inputs fail with the same messages ("found ',', expected: identifier after ','").
 */
final class LabelSelectorParser {

    private enum Token { ERROR, END, CLOSE_PAREN, COMMA, NOT, DOUBLE_EQUALS, EQUALS, GREATER, IDENTIFIER, IN,
        LESS, NOT_EQUALS, NOT_IN, OPEN_PAREN }

    private record Item(Token token, String literal) {}

    private static final Map<String, Token> SYMBOLS = Map.ofEntries(
            Map.entry(")", Token.CLOSE_PAREN), Map.entry(",", Token.COMMA), Map.entry("!", Token.NOT),
            Map.entry("==", Token.DOUBLE_EQUALS), Map.entry("=", Token.EQUALS), Map.entry(">", Token.GREATER),
            Map.entry("in", Token.IN), Map.entry("<", Token.LESS), Map.entry("!=", Token.NOT_EQUALS),
            Map.entry("notin", Token.NOT_IN), Map.entry("(", Token.OPEN_PAREN));

    /** What the parser says it expected after a key, in upstream's operator order. */
    private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

    private final String input;
    private final List<Item> items = new ArrayList<>();
    private int pos;
    private int position;

    private LabelSelectorParser(String input) {
        this.input = input;
    }

    static List<Requirement> parse(String selector) {
        return new LabelSelectorParser(selector).parse();
    }

    private List<Requirement> parse() {
        scan();
        List<Requirement> requirements = new ArrayList<>();
        while (true) {
            Item next = lookahead(true);
            switch (next.token) {
                case IDENTIFIER, NOT -> {
                    try {
                        requirements.add(parseRequirement());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unable to parse requirement: " + e.getMessage(), e);
                    }
                    Item after = consume(true);
                    switch (after.token) {
                        case END -> { return requirements; }
                        case COMMA -> {
                            Item following = lookahead(true);
                            if (following.token != Token.IDENTIFIER && following.token != Token.NOT) {
                                throw fail("found '" + following.literal + "', expected: identifier after ','");
                            }
                        }
                        default -> throw fail("found '" + after.literal + "', expected: ',' or 'end of string'");
                    }
                }
                case END -> { return requirements; }
                default -> throw fail("found '" + next.literal + "', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private Requirement parseRequirement() {
        Operator operator = null;
        Item key = consume(true);
        if (key.token == Token.NOT) {
            operator = Operator.DOES_NOT_EXIST;
            key = consume(true);
        }
        if (key.token != Token.IDENTIFIER) throw fail("found '" + key.literal + "', expected: identifier");
        List<String> keyErrors = LabelValidation.keyErrors(key.literal);
        if (!keyErrors.isEmpty()) {
            // Upstream validates the key against a nil field path here, hence "<nil>".
            throw fail(LabelValidation.invalid("<nil>", key.literal, String.join("; ", keyErrors)));
        }
        Token next = lookahead(true).token;
        if (operator == null && (next == Token.END || next == Token.COMMA)) operator = Operator.EXISTS;
        if (operator != null) return Requirement.of(key.literal, operator, List.of());

        operator = parseOperator();
        List<String> values = switch (operator) {
            case IN, NOT_IN -> parseValues();
            default -> parseExactValue();
        };
        return Requirement.of(key.literal, operator, values);
    }

    private Operator parseOperator() {
        Item op = consume(false);
        return switch (op.token) {
            case IN -> Operator.IN;
            case EQUALS -> Operator.EQUALS;
            case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
            case GREATER -> Operator.GREATER_THAN;
            case LESS -> Operator.LESS_THAN;
            case NOT_IN -> Operator.NOT_IN;
            case NOT_EQUALS -> Operator.NOT_EQUALS;
            default -> throw fail("found '" + op.literal + "', expected: " + BINARY_OPERATORS);
        };
    }

    /** "(a,b,,c)": a set, so sorted and without duplicates; empty entries are the empty value. */
    private List<String> parseValues() {
        Item open = consume(true);
        if (open.token != Token.OPEN_PAREN) throw fail("found '" + open.literal + "' expected: '('");
        Item next = lookahead(true);
        switch (next.token) {
            case IDENTIFIER, COMMA -> {
                List<String> values = parseIdentifiers();
                if (consume(true).token != Token.CLOSE_PAREN) {
                    throw fail("found '" + next.literal + "', expected: ')'");
                }
                return values;
            }
            case CLOSE_PAREN -> {
                consume(true);
                return List.of("");
            }
            default -> throw fail("found '" + next.literal + "', expected: ',', ')' or identifier");
        }
    }

    private List<String> parseIdentifiers() {
        TreeSet<String> values = new TreeSet<>();
        while (true) {
            Item item = consume(true);
            switch (item.token) {
                case IDENTIFIER -> {
                    values.add(item.literal);
                    Item next = lookahead(true);
                    if (next.token == Token.CLOSE_PAREN) return List.copyOf(values);
                    if (next.token != Token.COMMA) throw fail("found '" + next.literal + "', expected: ',' or ')'");
                }
                case COMMA -> {
                    if (values.isEmpty()) values.add("");
                    Token next = lookahead(true).token;
                    if (next == Token.CLOSE_PAREN) {
                        values.add("");
                        return List.copyOf(values);
                    }
                    if (next == Token.COMMA) values.add("");
                }
                default -> throw fail("found '" + item.literal + "', expected: ',', or identifier");
            }
        }
    }

    private List<String> parseExactValue() {
        Token next = lookahead(true).token;
        if (next == Token.END || next == Token.COMMA) return List.of("");
        Item value = consume(true);
        if (value.token == Token.IDENTIFIER) return List.of(value.literal);
        throw fail("found '" + value.literal + "', expected: identifier");
    }

    // --- tokens ---

    /** In value position "in" and "notin" are plain words: "x in (in)". */
    private Item lookahead(boolean valueContext) {
        return asValue(items.get(position), valueContext);
    }

    private Item consume(boolean valueContext) {
        return asValue(items.get(position++), valueContext);
    }

    private static Item asValue(Item item, boolean valueContext) {
        return valueContext && (item.token == Token.IN || item.token == Token.NOT_IN)
                ? new Item(Token.IDENTIFIER, item.literal) : item;
    }

    private void scan() {
        Item item;
        do {
            item = lex();
            items.add(item);
        } while (item.token != Token.END);
    }

    private Item lex() {
        while (pos < input.length() && isWhitespace(input.charAt(pos))) pos++;
        if (pos >= input.length()) return new Item(Token.END, "");
        return isSpecial(input.charAt(pos)) ? special() : word();
    }

    private Item word() {
        int start = pos;
        while (pos < input.length() && !isSpecial(input.charAt(pos)) && !isWhitespace(input.charAt(pos))) pos++;
        String s = input.substring(start, pos);
        Token keyword = SYMBOLS.get(s);
        return keyword != null ? new Item(keyword, s) : new Item(Token.IDENTIFIER, s);
    }

    /** The longest run of symbol characters that is still an operator: "!=" but "=" then "(" in "=(". */
    private Item special() {
        StringBuilder buffer = new StringBuilder();
        Item last = null;
        while (pos < input.length() && isSpecial(input.charAt(pos))) {
            buffer.append(input.charAt(pos));
            Token t = SYMBOLS.get(buffer.toString());
            if (t != null) {
                last = new Item(t, buffer.toString());
                pos++;
            } else if (last != null) {
                break;
            } else {
                pos++;
            }
        }
        return last != null ? last : new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecial(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

    private static IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(message);
    }
}
