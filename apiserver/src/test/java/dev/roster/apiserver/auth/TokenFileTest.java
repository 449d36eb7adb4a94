package dev.roster.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream's token file format, and a clear one-line error for each line that cannot be read. */
class TokenFileTest {
    /** Token-file users are good for whatever audience is asked. */
    static final List<String> ANY = List.of("any");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "three columns       | t1,alice,uid-1                         | alice | uid-1 | ''",
        "quoted groups       | t1,alice,uid-1,\"dev,ops\"             | alice | uid-1 | dev;ops",
        "one group unquoted  | t1,alice,uid-1,dev                     | alice | uid-1 | dev",
        "spaces after commas | t1, alice, uid-1, \"dev, ops\"         | alice | uid-1 | dev;ops",
        "empty uid           | t1,alice,,                             | alice | ''    | ''",
        "quoted quote        | \"t1\",\"al\"\"ice\",uid-1             | al\"ice | uid-1 | ''",
    })
    void goodLines(String name, String line, String user, String uid, String groups) {
        TokenFile f = TokenFile.parse("tokens.csv", "\n" + line + "\r\n\n");
        List<String> g = groups.isEmpty() ? List.of() : List.of(groups.split(";"));
        assertEquals(Optional.of(new TokenAuthenticator.Authenticated(new UserInfo(user, uid, g, Map.of()), ANY)),
                f.authenticate("t1", ANY));
        assertEquals(Optional.empty(), f.authenticate("t2", ANY));
        assertEquals(1, f.size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "two columns     | t1,alice                 | token file tokens.csv line 2: must have at least 3 columns (token, user name, user uid), found 2",
        "empty token     | ,alice,uid               | token file tokens.csv line 2: the token is empty",
        "empty user      | t2,,uid                  | token file tokens.csv line 2: the user name is empty",
        "duplicate       | t0,bob,uid               | token file tokens.csv line 2: duplicate token",
        "open quote      | t2,\"alice,uid           | token file tokens.csv line 2: a quoted field is not closed",
        "text after quote| t2,\"alice\"x,uid        | token file tokens.csv line 2: extraneous text after a quoted field",
        "bare quote      | t2,al\"ice,uid           | token file tokens.csv line 2: a quote inside an unquoted field",
    })
    void badLinesStopTheStartWithOneLine(String name, String line, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("tokens.csv", "t0,root,0\n" + line + "\n"));
        assertEquals(message, e.getMessage());
    }
}
