package dev.meridian.router.routing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlLexerTest {

    private static boolean unterminated(String sql) {
        return SqlLexer.lex(sql).unterminated();
    }

    private static List<String> words(String sql) {
        return SqlLexer.lex(sql).tokens().stream().filter(t -> t.kind() == Token.Kind.WORD).map(Token::text).toList();
    }

    @Test
    void keywordsAndIdentifiersAreLowerCased() {
        assertEquals(List.of("select", "a", "from", "t"), words("SELECT A FROM T"));
    }

    @Test
    void onlyAsciiLettersAreFoldedAsPostgresqlDoes() {
        // In a multibyte encoding PostgreSQL leaves non-ASCII letters of unquoted names alone.
        assertEquals(List.of("select", "ÉtÉ", "from", "\u212Aey"), words("SELECT ÉTÉ FROM \u212Aey"));
        assertTrue(SqlLexer.lex("SeLeCt").tokens().get(0).isWord("select"));
        assertFalse(SqlLexer.lex("\u212Aey").tokens().get(0).isWord("key"));
    }

    @Test
    void stringsHideWhatLooksLikeSql() {
        assertEquals(List.of("select", "from", "t", "where", "x"), words("select 'delete from users' from t where x = 'it''s'"));
        assertEquals(List.of("select"), words("select E'\\' update '"));
        assertEquals(List.of("select"), words("select $$ insert into t $$"));
        assertEquals(List.of("select"), words("select $fn$ it's $$ nested $fn$"));
        assertEquals(List.of("select"), words("select U&'\\0041'"));
    }

    @Test
    void quotedIdentifiersAreNotKeywords() {
        List<Token> tokens = SqlLexer.lex("select \"update\", \"Mixed\"\"Case\" from t").tokens();
        assertEquals(Token.Kind.QUOTED_IDENTIFIER, tokens.get(1).kind());
        assertEquals("update", tokens.get(1).text());
        assertEquals("Mixed\"Case", tokens.get(3).text());
    }

    @Test
    void commentsNestAndAreKeptAsComments() {
        List<Token> tokens = SqlLexer.lex("/* a /* b */ still comment */ select 1 -- trailing update\n").tokens();
        assertEquals(Token.Kind.COMMENT, tokens.get(0).kind());
        assertEquals(" a /* b */ still comment ", tokens.get(0).text());
        assertEquals("select", tokens.get(1).text());
        assertEquals(Token.Kind.COMMENT, tokens.get(tokens.size() - 1).kind());
    }

    @Test
    void parametersNumbersAndDepth() {
        List<Token> tokens = SqlLexer.lex("select f($1, (2.5e3))").tokens();
        assertEquals(Token.Kind.PARAMETER, tokens.get(3).kind());
        assertEquals(Token.Kind.NUMBER, tokens.get(6).kind());
        assertEquals(2, tokens.get(6).depth());
    }

    @Test
    void unterminatedInputIsNoticed() {
        assertTrue(unterminated("select 'oops"));
        assertTrue(unterminated("select /* open"));
        assertTrue(unterminated("select $x$ never closed"));
        assertTrue(unterminated("select \"id"));
        assertFalse(unterminated("select 'ok'"));
    }

    @Test
    void garbageNeverThrows() {
        java.util.Random random = new java.util.Random(1);
        String alphabet = "sel ect'\"$/*-;()\\eE0123456789ab\nU&";
        StatementClassifier classifier = new StatementClassifier();
        for (int i = 0; i < 5000; i++) {
            char[] text = new char[random.nextInt(200)];
            for (int j = 0; j < text.length; j++) {
                text[j] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            SqlLexer.lex(new String(text));
            classifier.classify(new String(text));
        }
    }
}
