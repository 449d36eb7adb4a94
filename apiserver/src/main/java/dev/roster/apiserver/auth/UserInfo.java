package dev.roster.apiserver.auth;

import java.util.List;

/** Who sent a request, as an authenticator found out: the user name and groups authorization will read. */
public record UserInfo(String name, List<String> groups) {
    public UserInfo {
        groups = List.copyOf(groups);
    }
}
