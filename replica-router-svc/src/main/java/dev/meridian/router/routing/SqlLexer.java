package dev.meridian.router.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizes PostgreSQL SQL. It never fails: unterminated literals or comments run to the end of
 * the text (the server will reject them; the router only has to route them safely, and an
 * unterminated anything is never mistaken for a read).
 */
public final class SqlLexer {

    /**
     * What one pass over a query text found.
     *
     * @param tokens       the tokens, comments included
     * @param unterminated the text ends inside a literal, quoted identifier or comment
     */
    public record Result(List<Token> tokens, boolean unterminated) {
    }

    private static final String OPEN = "(";
    private static final String CLOSE = ")";
    private static final String COMMA = ",";
    private static final String SEMICOLON = ";";

    private final String sql;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    /** Where the token being read starts (a literal's prefix included: E'…', U&'…'). */
    private int tokenStart;
    private int depth;
    private boolean unterminated;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /** Tokens and termination of {@code sql}, in one pass. */
    public static Result lex(String sql) {
        SqlLexer lexer = new SqlLexer(sql).run();
        return new Result(lexer.tokens, lexer.unterminated);
    }

    private SqlLexer run() {
        while (pos < sql.length()) {
            tokenStart = pos;
            char c = sql.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                lineComment();
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == '\'') {
                string(pos, false);
            } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
                string(pos + 1, true);
            } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && peek(1) == '\'') {
                string(pos + 1, false);
            } else if ((c == 'u' || c == 'U') && peek(1) == '&' && (peek(2) == '\'' || peek(2) == '"')) {
                if (peek(2) == '\'') {
                    string(pos + 2, false);
                } else {
                    pos += 2;
                    quotedIdentifier();
                }
            } else if (c == '"') {
                quotedIdentifier();
            } else if (c == '$' && isDigit(peek(1))) {
                parameter();
            } else if (c == '$' && dollarString()) {
                continue;
            } else if (isDigit(c) || c == '.' && isDigit(peek(1))) {
                number();
            } else if (isIdentifierStart(c)) {
                word();
            } else if (c == '(') {
                add(Token.Kind.OPEN_PAREN, OPEN, pos + 1);
                depth++;
                pos++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                add(Token.Kind.CLOSE_PAREN, CLOSE, pos + 1);
                pos++;
            } else if (c == ',') {
                add(Token.Kind.COMMA, COMMA, pos + 1);
                pos++;
            } else if (c == ';') {
                add(Token.Kind.SEMICOLON, SEMICOLON, pos + 1);
                pos++;
            } else {
                slice(Token.Kind.OPERATOR, pos, pos + 1);
                pos++;
            }
        }
        return this;
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < sql.length() ? sql.charAt(at) : '\0';
    }

    /** A token whose text is known, standing for {@code sql[tokenStart, end)} (prefixes and quotes included). */
    private void add(Token.Kind kind, String text, int end) {
        tokens.add(new Token(kind, sql, text, tokenStart, end, depth));
    }

    /** A token standing for {@code sql[start, end)}, its text built only if asked for. */
    private void slice(Token.Kind kind, int start, int end) {
        tokens.add(new Token(kind, sql, start, end, depth));
    }

    private void lineComment() {
        int start = pos + 2;
        int end = sql.indexOf('\n', start);
        end = end < 0 ? sql.length() : end;
        add(Token.Kind.COMMENT, sql.substring(start, end), end);
        pos = end;
    }

    /** PostgreSQL block comments nest. */
    private void blockComment() {
        int start = pos + 2;
        int level = 1;
        pos += 2;
        while (pos < sql.length() && level > 0) {
            if (sql.charAt(pos) == '/' && peek(1) == '*') {
                level++;
                pos += 2;
            } else if (sql.charAt(pos) == '*' && peek(1) == '/') {
                level--;
                pos += 2;
            } else {
                pos++;
            }
        }
        if (level > 0) {
            unterminated = true;
            add(Token.Kind.COMMENT, sql.substring(start), sql.length());
        } else {
            add(Token.Kind.COMMENT, sql.substring(start, pos - 2), pos);
        }
    }

    /** A string literal from the opening quote at {@code quote}; E-strings also know backslash escapes. */
    private void string(int quote, boolean backslashEscapes) {
        quoted(quote, '\'', backslashEscapes, Token.Kind.STRING);
    }

    private void quotedIdentifier() {
        quoted(pos, '"', false, Token.Kind.QUOTED_IDENTIFIER);
    }

    /** Text between {@code delimiter}s from {@code open}; a doubled delimiter stands for itself. */
    private void quoted(int open, char delimiter, boolean backslashEscapes, Token.Kind kind) {
        int i = open + 1;
        // Most literals hold no escape: their text is a plain slice of the query.
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == delimiter && (i + 1 >= sql.length() || sql.charAt(i + 1) != delimiter)) {
                add(kind, sql.substring(open + 1, i), i + 1);
                pos = i + 1;
                return;
            }
            if (c == delimiter || backslashEscapes && c == '\\') {
                break;
            }
            i++;
        }
        StringBuilder text = new StringBuilder().append(sql, open + 1, i);
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\' && i + 1 < sql.length()) {
                text.append(sql.charAt(i + 1));
                i += 2;
            } else if (c == delimiter && i + 1 < sql.length() && sql.charAt(i + 1) == delimiter) {
                text.append(delimiter);
                i += 2;
            } else if (c == delimiter) {
                add(kind, text.toString(), i + 1);
                pos = i + 1;
                return;
            } else {
                text.append(c);
                i++;
            }
        }
        unterminated = true;
        add(kind, text.toString(), sql.length());
        pos = sql.length();
    }

    /** A dollar-quoted string ({@code $tag$…$tag$}, tag possibly empty) at pos; false when this '$' opens none. */
    private boolean dollarString() {
        int i = pos + 1;
        while (i < sql.length() && isTagPart(sql.charAt(i))) {
            i++;
        }
        if (i >= sql.length() || sql.charAt(i) != '$' || i > pos + 1 && isDigit(sql.charAt(pos + 1))) {
            return false;
        }
        String tag = sql.substring(pos, i + 1);
        int start = pos + tag.length();
        int end = sql.indexOf(tag, start);
        if (end < 0) {
            unterminated = true;
            add(Token.Kind.STRING, sql.substring(start), sql.length());
            pos = sql.length();
        } else {
            add(Token.Kind.STRING, sql.substring(start, end), end + tag.length());
            pos = end + tag.length();
        }
        return true;
    }

    private void parameter() {
        int start = pos;
        pos++;
        while (pos < sql.length() && isDigit(sql.charAt(pos))) {
            pos++;
        }
        slice(Token.Kind.PARAMETER, start, pos);
    }

    private void number() {
        int start = pos;
        while (pos < sql.length() && (isTagPart(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
            pos++;
        }
        slice(Token.Kind.NUMBER, start, pos);
    }

    private void word() {
        int start = pos;
        while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
            pos++;
        }
        slice(Token.Kind.WORD, start, pos);
    }

    // PostgreSQL's scanner knows only ASCII digits and letters; every non-ASCII character may be
    // part of an identifier. Whitespace is tested ASCII first, as it almost always is.

    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1C && c <= 0x1F || c > 127 && Character.isWhitespace(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isIdentifierStart(char c) {
        return isAsciiLetter(c) || c == '_' || c > 127;
    }

    /** Letters, digits, '_' and non-ASCII: what a dollar-quote tag (and a number's tail) may hold. */
    private static boolean isTagPart(char c) {
        return isAsciiLetter(c) || isDigit(c) || c == '_' || c > 127;
    }

    private static boolean isIdentifierPart(char c) {
        return isTagPart(c) || c == '$';
    }
}
