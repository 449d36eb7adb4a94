package dev.roster.apiserver.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's static token file ({@code --token-auth-file}): CSV lines {@code token,user,uid,"group1,group2"}, the
 * groups column optional. Read once at start; a line that cannot be read stops the start with a one-line reason
 * naming the file and line. Tokens are good for any audience, as upstream's are.
 */
public final class TokenFile implements TokenAuthenticator {
    private final Map<String, UserInfo> users;

    private TokenFile(Map<String, UserInfo> users) {
        this.users = Map.copyOf(users);
    }

    public static TokenFile read(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read token file " + file + ": " + e.getMessage());
        }
    }

    /** @param name how errors name the file */
    static TokenFile parse(String name, String text) {
        Map<String, UserInfo> users = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isBlank()) continue;
            List<String> fields = fields(line, name, n + 1);
            if (fields.size() < 3) {
                throw bad(name, n + 1, "must have at least 3 columns (token, user name, user uid), found " + fields.size());
            }
            String token = fields.get(0);
            if (token.isEmpty()) throw bad(name, n + 1, "the token is empty");
            if (fields.get(1).isEmpty()) throw bad(name, n + 1, "the user name is empty");
            if (users.containsKey(token)) throw bad(name, n + 1, "duplicate token");
            List<String> groups = new ArrayList<>();
            if (fields.size() >= 4) {
                for (String g : fields.get(3).split(",")) if (!g.isBlank()) groups.add(g.strip());
            }
            users.put(token, new UserInfo(fields.get(1), fields.get(2), groups, Map.of()));
        }
        return new TokenFile(users);
    }

    public int size() {
        return users.size();
    }

    @Override
    public Optional<Authenticated> authenticate(String token, List<String> audiences) {
        UserInfo u = users.get(token);
        return u == null ? Optional.empty() : Optional.of(new Authenticated(u, audiences));
    }

    /** One CSV record (RFC 4180 quoting, leading spaces trimmed as Go's reader with TrimLeadingSpace). */
    private static List<String> fields(String line, String name, int lineNo) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
            StringBuilder f = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) throw bad(name, lineNo, "a quoted field is not closed");
                    char c = line.charAt(i++);
                    if (c != '"') f.append(c);
                    else if (i < line.length() && line.charAt(i) == '"') { f.append('"'); i++; }
                    else break;
                }
                if (i < line.length() && line.charAt(i) != ',') throw bad(name, lineNo, "extraneous text after a quoted field");
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    if (line.charAt(i) == '"') throw bad(name, lineNo, "a quote inside an unquoted field");
                    f.append(line.charAt(i++));
                }
            }
            out.add(f.toString());
            if (i >= line.length()) return out;
            i++; // the comma
        }
    }

    private static IllegalArgumentException bad(String name, int line, String why) {
        return new IllegalArgumentException("token file " + name + " line " + line + ": " + why);
    }
}
