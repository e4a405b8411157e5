package dev.meridian.router.routing;

/**
 * One lexical token.
 *
 * @param kind  what it is
 * @param text  keywords and unquoted identifiers lower-cased; quoted identifiers unquoted; literals
 *              and comments as written (comments without their delimiters)
 * @param depth parenthesis depth at which it stands (0 at the top of the statement)
 */
public record Token(Kind kind, String text, int depth) {

    public enum Kind {
        WORD, QUOTED_IDENTIFIER, STRING, NUMBER, PARAMETER, OPERATOR, OPEN_PAREN, CLOSE_PAREN, COMMA, SEMICOLON, COMMENT
    }

    public boolean isWord(String word) {
        return kind == Kind.WORD && text.equals(word);
    }
}
