package dev.meridian.router.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tokenizes PostgreSQL SQL. It never fails: unterminated literals or comments run to the end of
 * the text (the server will reject them; the router only has to route them safely, and an
 * unterminated anything is never mistaken for a read).
 */
public final class SqlLexer {

    private final String sql;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int depth;
    private boolean unterminated;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    /** The tokens of {@code sql}, comments included. */
    public static List<Token> tokenize(String sql) {
        return new SqlLexer(sql).run().tokens;
    }

    /** Whether {@code sql} ends inside a literal, quoted identifier or comment. */
    public static boolean isUnterminated(String sql) {
        return new SqlLexer(sql).run().unterminated;
    }

    private SqlLexer run() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
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
            } else if (c == '$' && Character.isDigit(peek(1))) {
                parameter();
            } else if (c == '$' && dollarTag() != null) {
                dollarString(dollarTag());
            } else if (Character.isDigit(c) || c == '.' && Character.isDigit(peek(1))) {
                number();
            } else if (isIdentifierStart(c)) {
                word();
            } else if (c == '(') {
                add(Token.Kind.OPEN_PAREN, "(");
                depth++;
                pos++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                add(Token.Kind.CLOSE_PAREN, ")");
                pos++;
            } else if (c == ',') {
                add(Token.Kind.COMMA, ",");
                pos++;
            } else if (c == ';') {
                add(Token.Kind.SEMICOLON, ";");
                pos++;
            } else {
                add(Token.Kind.OPERATOR, String.valueOf(c));
                pos++;
            }
        }
        return this;
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < sql.length() ? sql.charAt(at) : '\0';
    }

    private void add(Token.Kind kind, String text) {
        tokens.add(new Token(kind, text, depth));
    }

    private void lineComment() {
        int start = pos + 2;
        int end = sql.indexOf('\n', start);
        end = end < 0 ? sql.length() : end;
        add(Token.Kind.COMMENT, sql.substring(start, end));
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
            add(Token.Kind.COMMENT, sql.substring(start));
        } else {
            add(Token.Kind.COMMENT, sql.substring(start, pos - 2));
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
        StringBuilder text = new StringBuilder();
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\' && i + 1 < sql.length()) {
                text.append(sql.charAt(i + 1));
                i += 2;
            } else if (c == delimiter && i + 1 < sql.length() && sql.charAt(i + 1) == delimiter) {
                text.append(delimiter);
                i += 2;
            } else if (c == delimiter) {
                add(kind, text.toString());
                pos = i + 1;
                return;
            } else {
                text.append(c);
                i++;
            }
        }
        unterminated = true;
        add(kind, text.toString());
        pos = sql.length();
    }

    /** {@code $tag$} (tag possibly empty) at pos, or null when this '$' opens no dollar quote. */
    private String dollarTag() {
        int i = pos + 1;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i < sql.length() && sql.charAt(i) == '$' && (i == pos + 1 || !Character.isDigit(sql.charAt(pos + 1)))) {
            return sql.substring(pos, i + 1);
        }
        return null;
    }

    private void dollarString(String tag) {
        int start = pos + tag.length();
        int end = sql.indexOf(tag, start);
        if (end < 0) {
            unterminated = true;
            add(Token.Kind.STRING, sql.substring(start));
            pos = sql.length();
        } else {
            add(Token.Kind.STRING, sql.substring(start, end));
            pos = end + tag.length();
        }
    }

    private void parameter() {
        int start = pos;
        pos++;
        while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
            pos++;
        }
        add(Token.Kind.PARAMETER, sql.substring(start, pos));
    }

    private void number() {
        int start = pos;
        while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.' || sql.charAt(pos) == '_')) {
            pos++;
        }
        add(Token.Kind.NUMBER, sql.substring(start, pos));
    }

    private void word() {
        int start = pos;
        while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
            pos++;
        }
        add(Token.Kind.WORD, sql.substring(start, pos).toLowerCase(Locale.ROOT));
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 127;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
    }
}
