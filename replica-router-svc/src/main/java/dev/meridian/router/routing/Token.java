package dev.meridian.router.routing;

/**
 * One lexical token. Words, numbers and parameters keep only their place in the query text and
 * build their {@link #text()} when asked: the classifier compares most words with
 * {@link #isWord(String)}, which needs no string, so a typical statement is classified without
 * copying its identifiers and literals.
 */
public final class Token {

    public enum Kind {
        WORD, QUOTED_IDENTIFIER, STRING, NUMBER, PARAMETER, OPERATOR, OPEN_PAREN, CLOSE_PAREN, COMMA, SEMICOLON, COMMENT
    }

    private final Kind kind;
    private final int depth;
    private final String source;
    private final int start;
    private final int end;
    private String text;

    /**
     * A token of {@code source} whose text is already known (quoted identifiers, literals, comments,
     * punctuation), written at {@code source[start, end)}.
     */
    Token(Kind kind, String source, String text, int start, int end, int depth) {
        this(kind, source, start, end, depth);
        this.text = text;
    }

    /** A token standing for {@code source[start, end)}. */
    Token(Kind kind, String source, int start, int end, int depth) {
        this.kind = kind;
        this.depth = depth;
        this.source = source;
        this.start = start;
        this.end = end;
    }

    public Kind kind() {
        return kind;
    }

    /** The query text it is part of, as written from {@code start} to {@code end} (a span of several tokens). */
    public static String written(Token first, Token last) {
        return first.source.substring(first.start, last.end);
    }

    /** Parenthesis depth at which it stands (0 at the top of the statement). */
    public int depth() {
        return depth;
    }

    /**
     * Keywords and unquoted identifiers folded to lower case; quoted identifiers unquoted; literals
     * and comments as written (comments without their delimiters).
     */
    public String text() {
        if (text == null) {
            text = kind == Kind.WORD ? foldAscii(source, start, end) : source.substring(start, end);
        }
        return text;
    }

    /** This is the unquoted word {@code lowerCaseWord} (an ASCII keyword or name, given in lower case). */
    public boolean isWord(String lowerCaseWord) {
        if (kind != Kind.WORD) {
            return false;
        }
        if (text != null) {
            return text.equals(lowerCaseWord);
        }
        int length = end - start;
        if (length != lowerCaseWord.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (foldAscii(source.charAt(start + i)) != lowerCaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * PostgreSQL folds only ASCII letters of unquoted identifiers (in multibyte encodings it leaves
     * other characters alone), so a word matches a keyword only letter for ASCII letter.
     */
    private static String foldAscii(String source, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = source.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] folded = new char[end - start];
                for (int j = 0; j < folded.length; j++) {
                    folded[j] = foldAscii(source.charAt(start + j));
                }
                return new String(folded);
            }
        }
        return source.substring(start, end);
    }

    private static char foldAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    @Override
    public String toString() {
        return kind + "(" + text() + ")@" + depth;
    }
}
