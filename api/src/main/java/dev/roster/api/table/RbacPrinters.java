package dev.roster.api.table;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * RoleBindings and ClusterRoleBindings as upstream prints them: the role as {@code Kind/name}, and for
 * {@code -o wide} the subjects split into users, groups and service accounts ({@code namespace:name}).
 */
final class RbacPrinters {
    private RbacPrinters() {}

    static final ResourcePrinter BINDINGS = ResourcePrinter.of(
            List.of(Column.NAME, Column.text("Role", "RoleRef references a Role in the current namespace or a ClusterRole."),
                    Column.AGE,
                    Column.wide("Users", "Users in the roleBinding"),
                    Column.wide("Groups", "Groups in the roleBinding"),
                    Column.wide("ServiceAccounts", "ServiceAccounts in the roleBinding")),
            (b, now, out) -> {
                out.add(Fields.name(b));
                out.add(Fields.str(b, "roleRef", "kind") + "/" + Fields.str(b, "roleRef", "name"));
                out.add(Fields.age(b, now));
                List<String> users = new ArrayList<>();
                List<String> groups = new ArrayList<>();
                List<String> serviceAccounts = new ArrayList<>();
                for (JsonNode s : Fields.list(b, "subjects")) {
                    String name = Fields.str(s, "name");
                    switch (Fields.str(s, "kind")) {
                        case "User" -> users.add(name);
                        case "Group" -> groups.add(name);
                        case "ServiceAccount" -> serviceAccounts.add(Fields.str(s, "namespace") + ":" + name);
                        default -> { }
                    }
                }
                out.add(String.join(", ", users));
                out.add(String.join(", ", groups));
                out.add(String.join(", ", serviceAccounts));
            });
}
